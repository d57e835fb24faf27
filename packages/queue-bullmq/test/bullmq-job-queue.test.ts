import { seededRandom, systemClock } from '@paceline/core';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { describeJobQueueConformance, waitFor } from '../../../test/conformance/job-queue';
import { describeWithRedis } from '../../../test/support/redis-server';
import { BullJobQueue, createBullJobQueue, fromBullJobId, toBullJobId } from '../src/index';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithRedis('queue-bullmq on a real redis-server', (server) => {
  let tenants = 0;
  const clock = systemClock();
  const make = (tenant = `t${++tenants}`, seed = 1) =>
    createBullJobQueue({ connection: { host: server().host, port: server().port }, tenant, clock, random: seededRandom(seed) });

  describeJobQueueConformance('bullmq', async () => ({ queue: make(), now: () => clock.now() }));

  it('processes each job once when two queue instances (two processes) work one queue', async () => {
    const tenant = `t${++tenants}`;
    const a = make(tenant, 1);
    const b = make(tenant, 2);
    const runs = new Map<string, string[]>();
    const handler = (node: string) => async (job: { id: string }) => {
      runs.set(job.id, [...(runs.get(job.id) ?? []), node]);
    };
    a.process('fulfilment', handler('a'));
    b.process('fulfilment', handler('b'));
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      // Both instances produce every order: the idempotency key makes it one job.
      const [x, y] = await Promise.all([
        a.enqueue('fulfilment', { i }, { idempotencyKey: `order:${i}` }),
        b.enqueue('fulfilment', { i }, { idempotencyKey: `order:${i}` }),
      ]);
      expect(y).toBe(x);
      ids.push(x);
    }
    await waitFor(() => runs.size === 40, 10_000, 'all 40 jobs');
    await sleep(200);
    for (const id of ids) expect(runs.get(id)).toHaveLength(1);
    expect(new Set([...runs.values()].flat()).size).toBeGreaterThanOrEqual(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps idempotency keys that BullMQ could not take as ids (":", integers) intact', async () => {
    for (const key of ['order:a1', '42', 'x%3Ay', '%N7', 'a:b:c', '#3', '%23', '%25%3A', '#%:'])
      expect(fromBullJobId(toBullJobId(key))).toBe(key);
    expect(toBullJobId('#7')).toBe('7');
    expect(toBullJobId('42')).not.toBe('42');
    const queue = make();
    const seen: string[] = [];
    queue.process('q', async (job) => {
      seen.push(job.id);
    });
    expect(await queue.enqueue('q', {}, { idempotencyKey: 'order:att-1' })).toBe('order:att-1');
    expect(await queue.enqueue('q', {}, { idempotencyKey: '42' })).toBe('42');
    await waitFor(() => seen.length === 2, 5_000, 'both jobs');
    expect(seen.sort()).toEqual(['42', 'order:att-1']);
    await queue.close();
  });

  it('draws the retry jitter from the injected Random: gaps within [base/2, base) of the exponential backoff', async () => {
    const queue = make();
    const at: number[] = [];
    queue.process('q', async () => {
      at.push(clock.now());
      throw new Error('down');
    });
    await queue.enqueue('q', {}, { maxAttempts: 4, backoffMs: 100 });
    await waitFor(async () => (await queue.deadLetters('q')).length === 1, 10_000, 'the dead letter');
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i++) {
      const gap = (at[i] as number) - (at[i - 1] as number);
      const base = 100 * 2 ** (i - 1);
      expect(gap).toBeGreaterThanOrEqual(base / 2 - 5);
      // BullMQ promotes delayed jobs on its own schedule: allow its latency on top.
      expect(gap).toBeLessThan(base + 250);
    }
    await queue.close();
  });

  it('keeps jobs across instances: a job enqueued by one process runs in another started later', async () => {
    const tenant = `t${++tenants}`;
    const producer = make(tenant);
    await producer.enqueue('callbacks', { contactId: 'c1' }, { idempotencyKey: 'cb-c1', runAt: clock.now() + 100 });
    await producer.close();
    const consumer = make(tenant);
    const seen: unknown[] = [];
    consumer.process('callbacks', async (job) => {
      seen.push(job.payload);
    });
    await waitFor(() => seen.length === 1, 5_000, 'the callback job');
    expect(seen).toEqual([{ contactId: 'c1' }]);
    await consumer.close();
  });

  it('keeps tenants apart', async () => {
    const a = make('tenant-a');
    const b = make('tenant-b');
    let runsB = 0;
    b.process('q', async () => {
      runsB++;
    });
    await a.enqueue('q', {});
    await sleep(300);
    expect(runsB).toBe(0);
    const redis = new Redis(server().port, server().host);
    const keys = await redis.keys('paceline:tenant-a:bull:*');
    expect(keys.length).toBeGreaterThan(0);
    await redis.quit();
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a bad tenant with E_INVALID_CONFIG', () => {
    expect(() => new BullJobQueue({ connection: {}, tenant: 'a:b', clock, random: seededRandom(1) })).toThrow(/options\.tenant/);
  });
});
