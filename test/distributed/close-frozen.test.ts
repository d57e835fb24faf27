// rb12 (issue 23's leftovers): a host's close on a frozen redis-server (SIGSTOP). The stores and the
// agent pool never close the client the host gives them, and ioredis's `quit()` waits for the
// answer to QUIT; BullMQ's close lets running jobs finish and quits its connections the same way.
// On a frozen server both waited for ever and the host's shutdown hung. Checked: `closeRedis` and
// the BullMQ queue's `close()` reject within their bound with an error naming what timed out, every
// socket to the server is closed (the process can exit: no TCP handle left but the ones before the
// test), and nothing escapes to the process. Before SIGSTOP, `closeRedis` of a live client resolves.
import { isPacelineError, seededRandom, systemClock } from '@paceline/core';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { closeRedis, createRedisAgentPool, createRedisStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { escapesToProcess } from '../support/escapes';
import { describeWithRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

/** The closes' bound in this test, ms (defaults: `closeRedis` 5 s, the queue's `closeTimeoutMs` 30 s). */
const BOUND_MS = 1_000;

const escaped = escapesToProcess();
/** Open TCP handles of this process (ioredis's sockets among them). */
const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (error: unknown) => (isPacelineError(error) ? `${error.code}: ${error.message}` : `other: ${String(error)}`),
  );

describeWithRedis('rb12: closing on a frozen redis-server (SIGSTOP)', (server) => {
  it('closeRedis and the BullMQ queue’s close reject within the bound naming what timed out, and free every socket', async () => {
    const clock = systemClock();
    const before = tcpHandles();
    const live = new Redis(server().url);
    await live.ping();
    expect(await outcome(closeRedis(live, { timeoutMs: BOUND_MS }))).toBe('resolved');
    expect(live.status).toBe('end');

    const redis = new Redis(server().url, { maxRetriesPerRequest: null });
    redis.on('error', () => {});
    const tenant = `close-${process.pid}`;
    const store = createRedisStore({ redis, tenant });
    const pool = createRedisAgentPool({ redis, tenant });
    await store.listCampaigns();
    await pool.list('k1', 0);
    const queue = createBullJobQueue({
      connection: { host: server().host, port: server().port },
      tenant,
      clock,
      random: seededRandom(1),
      closeTimeoutMs: BOUND_MS,
    });
    let ran = 0;
    queue.process('orders', async () => {
      ran++;
    });
    await queue.enqueue('orders', { id: 'o1' });
    await waitFor(() => ran === 1, 10_000, 'the job run');

    process.kill(server().pid(), 'SIGSTOP');
    try {
      const [queueClosed, redisClosed] = await Promise.all([
        outcome(queue.close()),
        outcome(closeRedis(redis, { timeoutMs: BOUND_MS, what: 'the store’s Redis' })),
      ]);
      expect(queueClosed).toBe(
        `E_CLOSED: BullJobQueue: close did not finish within ${BOUND_MS} ms (closeTimeoutMs): Redis answered nothing or a job ran on; its connections were dropped`,
      );
      expect(redisClosed).toBe(
        `E_CLOSED: the store’s Redis: quit got no answer within ${BOUND_MS} ms (closeRedis timeoutMs); the connection was dropped`,
      );
      // disconnected: ioredis destroys a socket the frozen server does not close within its disconnectTimeout (2 s)
      await waitFor(() => redis.status === 'end', 8_000, 'the store’s client ended');
      await waitFor(() => tcpHandles() <= before, 8_000, 'every socket to the frozen server closed');
    } finally {
      process.kill(server().pid(), 'SIGCONT');
    }
    expect(escaped).toEqual([]);
  }, 20_000);
});
