import { seededRandom, systemClock, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { describeJobQueueConformance } from '../../../test/conformance/job-queue';
import { createMemoryJobQueue } from '../src/index';

describeJobQueueConformance('memory', async () => {
  const clock = systemClock();
  return { queue: createMemoryJobQueue({ clock, random: seededRandom(1) }), now: () => clock.now() };
});

describe('memory JobQueue on virtual time', () => {
  it('replays retries exactly for a seed, with jitter from the injected Random', async () => {
    const run = async () => {
      const clock = new VirtualClock(0);
      const queue = createMemoryJobQueue({ clock, random: seededRandom(7) });
      const at: number[] = [];
      queue.process('q', async () => {
        at.push(clock.now());
        throw new Error('fail');
      });
      await queue.enqueue('q', {}, { maxAttempts: 4, backoffMs: 1_000 });
      for (let i = 0; i < 20; i++) {
        await Promise.resolve();
        await new Promise((r) => setImmediate(r));
        clock.runNext();
      }
      return at;
    };
    const first = await run();
    expect(first).toHaveLength(4);
    expect(await run()).toEqual(first);
    // equal jitter: each gap lies in [base/2, base) for base = 1 s, 2 s, 4 s
    for (let i = 1; i < first.length; i++) {
      const gap = (first[i] as number) - (first[i - 1] as number);
      const base = 1_000 * 2 ** (i - 1);
      expect(gap).toBeGreaterThanOrEqual(base / 2);
      expect(gap).toBeLessThan(base);
    }
  });
});
