// Issue 21: a fulfilment desk whose state is on Redis (createRedisFulfilmentStore), its worker
// killed with SIGKILL mid-batch, a second worker restoring the state and finishing. Per order:
// one record in the store, handed off once, with the pickup place it got (no slot overbooked,
// no place leaked by the dead worker), its hand-off event accepted by the host's system and
// recorded as delivered; a duplicate request only for the events the dead worker had in flight.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { seededRandom, systemClock } from '@paceline/core';
import { createMemoryReplayStore, DELIVERY_HEADER, OrderStatus, orderFromSale, verifyWebhook } from '@paceline/fulfilment';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisFulfilmentStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

const ORDERS = 240;
const KILL_AFTER = 80;
const CONCURRENCY = 8;
const CAPACITY = 3; // durable-fulfilment-worker.ts: places per pickup slot
const SECRET = 'durable-kill-secret-0123456789';
const ROOT = join(import.meta.dirname, '..', '..');
const WORKER = join(import.meta.dirname, 'durable-fulfilment-worker.ts');

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }
});

async function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; restored: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@paceline/source', WORKER], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const restored = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('{')) resolve((JSON.parse(line) as { restored: number }).restored);
    });
    child.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before it was ready`)));
  });
  return { child, restored };
}

describeWithRedis('a durable fulfilment desk (state on Redis): a worker killed mid-batch', (server) => {
  it(`loses nothing and delivers each order's effect once (${ORDERS} orders, half pickups, SIGKILL after ~${KILL_AFTER})`, async () => {
    const replays = createMemoryReplayStore();
    const deliveries = new Map<string, number>();
    const rejected: string[] = [];
    let requests = 0;
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      requests++;
      const verdict = await verifyWebhook(SECRET, req.headers, Buffer.concat(chunks), Date.now(), 5 * 60_000, replays);
      if (!verdict.ok) {
        rejected.push(verdict.reason);
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers[DELIVERY_HEADER]);
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const tenant = 'durable-kill';
    const env = {
      REDIS_HOST: server().host,
      REDIS_PORT: String(server().port),
      TENANT: tenant,
      WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/orders`,
      WEBHOOK_SECRET: SECRET,
      CONCURRENCY: String(CONCURRENCY),
    };
    const producer = createBullJobQueue({
      connection: { host: server().host, port: server().port },
      tenant,
      clock: systemClock(),
      random: seededRandom(1),
    });
    const redis = new Redis(server().port, server().host);
    const store = createRedisFulfilmentStore({ redis, tenant });
    const createdAt = Date.UTC(2025, 5, 4, 12, 0);
    const orders = Array.from({ length: ORDERS }, (_, i) =>
      orderFromSale({
        attemptId: `a-${i}`,
        campaignId: 'c-1',
        contactId: `ct-${i}`,
        createdAt: createdAt + i * 1_000,
        items: [{ sku: 'SIM-5G', name: '5G SIM plan', quantity: 1, unitPriceMinor: 1999 }],
        currency: 'EUR',
        fulfilment:
          i % 2 === 0
            ? { kind: 'pickup', locationId: 'sol' }
            : { kind: 'delivery', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } },
        payment: 'on-delivery',
      }),
    );
    try {
      const first = await startWorker(env);
      expect(first.restored).toBe(0);
      for (const order of orders) {
        await producer.enqueue('fulfilment', order, { idempotencyKey: order.idempotencyKey, maxAttempts: 5, backoffMs: 2_000 });
      }
      await waitFor(() => deliveries.size >= KILL_AFTER, 30_000, `${KILL_AFTER} hand-offs by the first worker`);
      const exited = once(first.child, 'exit');
      first.child.kill('SIGKILL');
      await exited;
      const atKill = deliveries.size;
      expect(atKill).toBeLessThan(ORDERS); // really mid-batch
      const storedAtKill = (await store.listOrders()).length;

      // The second worker sees what the first recorded (every order whose event reached the host, at least).
      const second = await startWorker(env);
      expect(second.restored).toBe(storedAtKill);
      expect(second.restored).toBeGreaterThanOrEqual(atKill);
      await waitFor(
        async () =>
          deliveries.size === ORDERS &&
          (await store.listOrders()).filter((r) => r.status === OrderStatus.HandedOff).length === ORDERS &&
          (await Promise.all(orders.map((o) => store.deliveredAt(`${o.id}:handed-off`)))).every((at) => at !== undefined),
        40_000,
        `all ${ORDERS} orders handed off and delivered`,
      );

      // Per order: one record, handed off, its hand-off event accepted once in effect and recorded.
      const records = await store.listOrders();
      expect(records.map((r) => r.order.id).sort()).toEqual(orders.map((o) => o.id).sort());
      const slots = new Map<string, string[]>();
      for (const record of records) {
        expect(record.status, record.order.id).toBe(OrderStatus.HandedOff);
        expect(deliveries.get(`${record.order.id}:handed-off`), record.order.id).toBeGreaterThanOrEqual(1);
        expect(await store.deliveredAt(`${record.order.id}:handed-off`), record.order.id).toBeTypeOf('number');
        if (record.order.fulfilment.kind === 'pickup') {
          expect(record.assignment?.kind, record.order.id).toBe('pickup');
          if (record.assignment?.kind !== 'pickup') continue;
          const key = `sol@${record.assignment.slot.startAt}`;
          slots.set(key, [...(slots.get(key) ?? []), record.order.id]);
        }
      }
      // No slot overbooked; the store's places are exactly the recorded bookings (none leaked by the dead worker).
      const keys = [...slots.keys()];
      const taken = await store.pickupTaken(keys);
      for (const [i, key] of keys.entries()) {
        expect(slots.get(key)?.length ?? 0, key).toBeLessThanOrEqual(CAPACITY);
        expect(taken[i], key).toBe(slots.get(key)?.length);
      }
      expect([...slots.values()].flat()).toHaveLength(ORDERS / 2);
      expect(rejected).toEqual([]);
      // A repeated request only for what the dead worker had in flight (its concurrency, both queues).
      expect(requests - deliveries.size).toBeLessThanOrEqual(2 * CONCURRENCY);
      expect(await producer.deadLetters('fulfilment')).toEqual([]);
      expect(await producer.deadLetters('fulfilment-webhook')).toEqual([]);
      console.log(
        `durable desk kill: ${ORDERS} orders, killed after ${atKill} at the receiver (${storedAtKill} in the store); ` +
          `${deliveries.size} delivered, ${requests - deliveries.size} repeated requests, ${keys.length} pickup slots used`,
      );
    } finally {
      await producer.close();
      redis.disconnect();
      receiver.closeAllConnections();
      receiver.close();
    }
  }, 90_000);
});
