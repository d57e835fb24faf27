import type { Job, JobQueue } from '@paceline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for';

export { waitFor };

/** A fresh queue for one test; `now()` is the queue's clock (real time for every adapter). */
export interface JobQueueFixture {
  readonly queue: JobQueue;
  readonly now: () => number;
  readonly cleanup?: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one `JobQueue` conformance suite (in-memory and BullMQ). It runs on real time with
 * short delays, so it exercises timers the way production does.
 */
export function describeJobQueueConformance(name: string, makeQueue: () => Promise<JobQueueFixture>): void {
  describe(`JobQueue conformance: ${name}`, () => {
    let fixture: JobQueueFixture;
    let queue: JobQueue;
    let q: string;
    let counter = 0;

    beforeEach(async () => {
      fixture = await makeQueue();
      queue = fixture.queue;
      q = `conformance-${++counter}`;
    });
    afterEach(async () => {
      await queue.close();
      await fixture.cleanup?.();
    });

    it('runs an enqueued job once with its payload, as attempt 1', async () => {
      const seen: Job<{ orderId: string }>[] = [];
      queue.process<{ orderId: string }>(q, async (job) => {
        seen.push(job);
      });
      const id = await queue.enqueue(q, { orderId: 'o-1' });
      await waitFor(() => seen.length === 1, 5_000, 'the job to run');
      await sleep(100);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ id, queue: q, payload: { orderId: 'o-1' }, attempt: 1 });
    });

    it('processes a job produced twice with one idempotency key once', async () => {
      let runs = 0;
      const a = await queue.enqueue(q, { n: 1 }, { idempotencyKey: 'order-o-1' });
      const b = await queue.enqueue(q, { n: 2 }, { idempotencyKey: 'order-o-1' });
      expect(b).toBe(a);
      queue.process(q, async () => {
        runs++;
      });
      await waitFor(() => runs === 1, 5_000, 'the job to run');
      const c = await queue.enqueue(q, { n: 3 }, { idempotencyKey: 'order-o-1' });
      expect(c).toBe(a);
      await sleep(200);
      expect(runs).toBe(1);
    });

    it('does not run a job before its runAt', async () => {
      let ranAt = 0;
      const runAt = fixture.now() + 400;
      queue.process(q, async () => {
        ranAt = fixture.now();
      });
      await queue.enqueue(q, {}, { runAt });
      await sleep(150);
      // tidy: on a loaded runner the 150 ms can outlast the 400 ms; the job may then have run — after its runAt
      expect(ranAt === 0 || ranAt >= runAt - 5, `ran at ${ranAt}, runAt ${runAt}`).toBe(true);
      await waitFor(() => ranAt > 0, 5_000, 'the delayed job');
      expect(ranAt).toBeGreaterThanOrEqual(runAt - 5);
    });

    it('retries a failing job with backoff, then succeeds', async () => {
      const attempts: Array<{ attempt: number; at: number }> = [];
      queue.process(q, async (job) => {
        attempts.push({ attempt: job.attempt, at: fixture.now() });
        if (job.attempt < 3) throw new Error('courier API down');
      });
      await queue.enqueue(q, {}, { maxAttempts: 5, backoffMs: 50 });
      await waitFor(() => attempts.length === 3, 5_000, 'three attempts');
      await sleep(150);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      const [first, second] = attempts;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(20);
      expect(await queue.deadLetters(q)).toEqual([]);
    });

    it('dead-letters a job after maxAttempts, keeps it visible, and replays it', async () => {
      let fail = true;
      const attempts: number[] = [];
      let lastFailureAt = 0;
      queue.process<{ orderId: string }>(q, async (job) => {
        attempts.push(job.attempt);
        if (fail) {
          lastFailureAt = fixture.now();
          throw new Error('webhook returned 500');
        }
      });
      const id = await queue.enqueue(q, { orderId: 'o-9' }, { maxAttempts: 2, backoffMs: 20 });
      await waitFor(async () => (await queue.deadLetters(q)).length === 1, 5_000, 'the dead letter');
      const [dead] = await queue.deadLetters<{ orderId: string }>(q);
      expect(dead?.job).toMatchObject({ id, payload: { orderId: 'o-9' }, attempt: 2 });
      expect(dead?.error).toBe('webhook returned 500');
      // failedAt is the last failure's time on the queue's clock (give or take the adapter's bookkeeping)
      expect(Math.abs((dead?.failedAt ?? 0) - lastFailureAt)).toBeLessThan(1_000);
      expect(attempts).toEqual([1, 2]);
      fail = false;
      await queue.replay(q, id);
      // a fresh attempt budget: the replayed run counts from 1 again
      await waitFor(() => attempts.length === 3, 5_000, 'the replayed job');
      expect(attempts).toEqual([1, 2, 1]);
      await waitFor(async () => (await queue.deadLetters(q)).length === 0, 5_000, 'the dead letter to clear');
      await expect(queue.replay(q, 'no-such-job')).rejects.toThrow(/no dead-lettered job/);
    });

    it('stops processing when asked, and keeps the jobs for later', async () => {
      let runs = 0;
      const stop = queue.process(q, async () => {
        runs++;
      });
      await stop();
      await queue.enqueue(q, {});
      await sleep(200);
      expect(runs).toBe(0);
      queue.process(q, async () => {
        runs++;
      });
      await waitFor(() => runs === 1, 5_000, 'the job after restart of processing');
    });
  });
}
