// rb11 (issue 23's leftovers, after rb9's store-frozen): the fulfilment desk's redis-server frozen
// (SIGSTOP). The desk keeps its orders in `createRedisFulfilmentStore` and its webhook receiver remembers
// accepted delivery results in `createRedisReplayStore`, both on one client to a redis-server the test
// freezes. A frozen server accepts commands and answers nothing: before rb11 neither store bounded its
// commands, so a delivery-result webhook, a recorded result and a hand-off made meanwhile hung until
// SIGCONT. Checked: each settles within the bound (it fails; the host answers a webhook 5xx, the queue
// retries an order job), nothing escapes to the process; after SIGCONT the courier's retry of the same
// signed webhook is accepted (not refused as a replay of the request that timed out) and the desk's
// retried calls land.
import { type Order, seededRandom, systemClock } from '@paceline/core';
import { createMemoryJobQueue } from '@paceline/engine';
import { createFeedbackReceiver, createFulfilment, DELIVERY_RESULT_EVENT, signWebhook } from '@paceline/fulfilment';
import { createRedisFulfilmentStore, createRedisReplayStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { order } from '../../packages/fulfilment/test/support';
import { escapesToProcess } from '../support/escapes';
import { describeWithRedis } from '../support/redis-server';
import { settlesIn } from '../support/settles-in';

const SECRET = 'courier-secret-0123456789';
/** The stores' bound in this test, ms (the default is 5 s: `STORE_COMMAND_TIMEOUT_MS`). */
const BOUND_MS = 1_000;
/** How long a call may take while the server is frozen: the bound and slack for a loaded machine. */
const SETTLES_WITHIN_MS = 3_500;
const FROZEN_MS = 4_000;

const escaped = escapesToProcess();

describeWithRedis(
  'rb11: the fulfilment desk’s redis-server frozen (SIGSTOP)',
  (server) => {
    it('webhooks, results and hand-offs settle within the bound; after SIGCONT the retried webhook is accepted, not a replay', async () => {
      const tenant = `desk-${process.pid}`;
      const clock = systemClock();
      const redis = new Redis(server().url);
      redis.on('error', () => {});
      const queue = createMemoryJobQueue({ clock, random: seededRandom(1) });
      const store = createRedisFulfilmentStore({ redis, tenant, commandTimeoutMs: BOUND_MS });
      const fulfilment = createFulfilment({ queue, clock, config: { timeZone: 'Europe/Madrid' }, store });
      const receive = createFeedbackReceiver({
        fulfilment,
        secret: SECRET,
        clock,
        replays: createRedisReplayStore({ redis, tenant, commandTimeoutMs: BOUND_MS }),
      });
      const [first, second, third] = ['f1', 'f2', 'f3'].map((id) => order(id, clock.now())) as [Order, Order, Order];
      let stopped = false;
      try {
        await fulfilment.handOff(first);
        await fulfilment.handOff(second);
        const body = JSON.stringify({ id: 'dlv-f1', orderId: first.id, result: 'delivered-paid' });
        const headers = signWebhook(SECRET, body, clock.now(), DELIVERY_RESULT_EVENT);

        process.kill(server().pid(), 'SIGSTOP');
        stopped = true;
        const frozenAt = Date.now();
        const failures: string[] = [];
        const failed = (call: () => Promise<unknown>) => () => call().catch((error: unknown) => failures.push(String(error)));
        const [webhook, result, handOff] = await Promise.all([
          settlesIn(
            failed(() => receive({ headers, body })),
            SETTLES_WITHIN_MS,
          ),
          settlesIn(
            failed(() => fulfilment.recordDeliveryResult({ id: 'dlv-f2', orderId: second.id, result: 'refused' })),
            SETTLES_WITHIN_MS,
          ),
          settlesIn(
            failed(() => fulfilment.handOff(third)),
            SETTLES_WITHIN_MS,
          ),
        ]);
        expect({ webhook, result, handOff }).toEqual({
          webhook: expect.any(Number),
          result: expect.any(Number),
          handOff: expect.any(Number),
        });
        expect(failures.sort()).toEqual([
          expect.stringMatching(/RedisFulfilmentStore: \w+ got no answer within 1000 ms \(commandTimeoutMs\)/),
          expect.stringMatching(/RedisFulfilmentStore: \w+ got no answer within 1000 ms \(commandTimeoutMs\)/),
          expect.stringMatching(/RedisReplayStore: remember got no answer within 1000 ms \(commandTimeoutMs\)/),
        ]);
        await new Promise((resolve) => setTimeout(resolve, frozenAt + FROZEN_MS - Date.now()));
        process.kill(server().pid(), 'SIGCONT');
        stopped = false;

        // The courier retries the same signed request (it got a 5xx): accepted, the result recorded.
        const retried = await receive({ headers, body });
        expect({ status: retried.status, body: JSON.parse(retried.body) }).toEqual({
          status: 200,
          body: { orderId: first.id, status: 'delivered' },
        });
        // The desk's retried calls land.
        expect((await fulfilment.recordDeliveryResult({ id: 'dlv-f2', orderId: second.id, result: 'refused' })).record.status).toBe(
          'failed',
        );
        expect((await fulfilment.handOff(third))?.status).toBe('handed-off');
        // As a restarted desk reads them.
        const reader = createRedisFulfilmentStore({ redis, tenant });
        expect(await Promise.all([first, second, third].map(async (o) => (await reader.getOrder(o.id))?.status))).toEqual([
          'delivered',
          'failed',
          'handed-off',
        ]);
        expect(escaped).toEqual([]);
      } finally {
        if (stopped) process.kill(server().pid(), 'SIGCONT');
        await fulfilment.stop();
        await queue.close();
        redis.disconnect();
      }
    }, 60_000);
  },
  { appendOnly: false },
);
