// Issue 8: the fulfilment desk on queue-bullmq against a real redis-server. A worker process
// is killed with SIGKILL in the middle of a batch; a second one takes over. Nothing is lost
// (every order reaches the host's order system) and each order is handed off once in effect:
// BullMQ is at-least-once, so a job the dead worker was running runs again, and the receiver
// deduplicates on the `paceline-delivery` id the webhook carries (as docs/fulfilment.md tells
// receivers to). Every request, duplicates included, must pass verifyWebhook.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { seededRandom, systemClock } from '@paceline/core';
import { createMemoryReplayStore, DELIVERY_HEADER, orderFromSale, verifyWebhook } from '@paceline/fulfilment';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { afterEach, expect, it } from 'vitest';
import { describeWithRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

const ORDERS = 300;
const KILL_AFTER = 100;
const SECRET = 'kill-test-secret-0123456789';
const ROOT = join(import.meta.dirname, '..', '..');
const WORKER = join(import.meta.dirname, 'bullmq-fulfilment-worker.ts');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the host's order system saw. */
interface Receiver {
  readonly url: string;
  /** Deliveries per `paceline-delivery` id. */
  readonly deliveries: Map<string, number>;
  /** Requests verifyWebhook refused, by reason. */
  readonly rejected: string[];
  requests: number;
  close(): Promise<void>;
}

/** A real `node:http` receiver that verifies every request and answers after a short pause (work on its side). */
async function startReceiver(): Promise<Receiver> {
  const replays = createMemoryReplayStore();
  const receiver: Omit<Receiver, 'url' | 'close'> = { deliveries: new Map(), rejected: [], requests: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    receiver.requests++;
    const verdict = await verifyWebhook(SECRET, req.headers, body, Date.now(), 5 * 60_000, replays);
    if (!verdict.ok) {
      receiver.rejected.push(verdict.reason);
      res.writeHead(401).end(verdict.reason);
      return;
    }
    const id = String(req.headers[DELIVERY_HEADER]);
    receiver.deliveries.set(id, (receiver.deliveries.get(id) ?? 0) + 1);
    await sleep(3);
    res.writeHead(204).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/orders`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

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

/** Start a desk in a child process and wait for its `ready`. */
async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@paceline/source', WORKER], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before it was ready`)));
  });
  return child;
}

describeWithRedis('fulfilment on queue-bullmq: a worker killed mid-batch', (server) => {
  it(`loses no order and hands each off once in effect (${ORDERS} orders, SIGKILL after ~${KILL_AFTER})`, async () => {
    const receiver = await startReceiver();
    const tenant = 'kill-test';
    const env = {
      REDIS_HOST: server().host,
      REDIS_PORT: String(server().port),
      TENANT: tenant,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      CONCURRENCY: '8',
    };
    // The producer side, as the engine enqueues a sale's order.
    const producer = createBullJobQueue({
      connection: { host: server().host, port: server().port },
      tenant,
      clock: systemClock(),
      random: seededRandom(1),
    });
    const createdAt = Date.UTC(2025, 5, 4, 12, 0);
    const orders = Array.from({ length: ORDERS }, (_, i) =>
      orderFromSale({
        attemptId: `a-${i}`,
        campaignId: 'c-1',
        contactId: `ct-${i}`,
        createdAt: createdAt + i * 1_000,
        items: [{ sku: 'SIM-5G', name: '5G SIM plan', quantity: 1, unitPriceMinor: 1999 }],
        currency: 'EUR',
        fulfilment: { kind: 'delivery', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } },
        payment: 'on-delivery',
      }),
    );
    expect(orders[0]?.idempotencyKey).toBe('order:a-0');
    try {
      const first = await startWorker(env);
      for (const order of orders) {
        await producer.enqueue('fulfilment', order, { idempotencyKey: order.idempotencyKey, maxAttempts: 5, backoffMs: 5_000 });
      }
      await waitFor(() => receiver.deliveries.size >= KILL_AFTER, 20_000, `${KILL_AFTER} hand-offs by the first worker`);
      const exited = once(first, 'exit');
      first.kill('SIGKILL');
      await exited;
      const atKill = receiver.deliveries.size;
      expect(atKill).toBeLessThan(ORDERS); // really mid-batch

      await startWorker(env);
      await waitFor(() => receiver.deliveries.size === ORDERS, 25_000, `all ${ORDERS} orders at the receiver`);
      // Let anything still in flight (a redelivery) arrive before counting.
      await sleep(500);

      const expected = orders.map((o) => `${o.id}:handed-off`).sort();
      expect([...receiver.deliveries.keys()].sort()).toEqual(expected); // nothing lost, nothing extra
      const duplicates = receiver.requests - receiver.deliveries.size;
      expect(receiver.rejected).toEqual([]); // verifyWebhook accepted every request, duplicates included
      expect(Math.max(...receiver.deliveries.values())).toBeLessThanOrEqual(2);
      // Neither queue dead-lettered anything.
      expect(await producer.deadLetters('fulfilment')).toEqual([]);
      expect(await producer.deadLetters('fulfilment-webhook')).toEqual([]);
      console.log(
        `bullmq worker kill: ${ORDERS} orders, killed after ${atKill} at the receiver; ` +
          `${receiver.deliveries.size} distinct delivered, ${ORDERS - receiver.deliveries.size} lost, ` +
          `${duplicates} duplicate deliveries (at-least-once, deduplicated on ${DELIVERY_HEADER}), ${receiver.rejected.length} rejected`,
      );
    } finally {
      await producer.close();
      await receiver.close();
    }
  }, 40_000);
});
