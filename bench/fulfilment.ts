/**
 * `pnpm bench:fulfilment` — orders handed off per second by the fulfilment desk on BullMQ,
 * against a local `redis-server` (started here on a free port with a temporary directory,
 * append-only as in production, removed afterwards). An order counts as handed off when the
 * host's order system — a real local `node:http` receiver that verifies every signature —
 * has accepted its `order.handed-off` webhook: per order that is the order job (validation,
 * round assignment), the webhook job, and a signed POST. The same desk on the in-memory
 * queue, measured in the same run, is the baseline. Prints a table and writes
 * bench/results/fulfilment.json (`{ ordersPerSecond, orders }`, the BullMQ figure).
 *
 *   --orders N        orders per run (default 20000)
 *   --concurrency N   BullMQ worker concurrency per queue (default 32)
 *   --runs N          BullMQ runs, each on a fresh tenant (default 3); the best is reported,
 *                     as the machine may be shared (every run is printed)
 */
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type JobQueue, type Order, seededRandom, systemClock } from '@paceline/core';
import { createMemoryJobQueue } from '@paceline/engine';
import { createFulfilment, createMemoryReplayStore, DELIVERY_HEADER, orderFromSale, verifyWebhook } from '@paceline/fulfilment';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { startRedisServer } from '../test/support/redis-process';
import { printTable } from './support/table';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { orders: { type: 'string' }, concurrency: { type: 'string' }, runs: { type: 'string' } } });
const ORDERS = Number((values.orders ?? '20000').replaceAll('_', ''));
const CONCURRENCY = Number(values.concurrency ?? '32');
const RUNS = Number(values.runs ?? '3');
if (![ORDERS, CONCURRENCY, RUNS].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('bench:fulfilment: --orders, --concurrency and --runs must be positive integers');
}
const SECRET = 'bench-fulfilment-secret-0123456789';
const TARGET = 2_000;

/** The host's order system: verifies each request, counts distinct deliveries, resolves when it has `expected`. */
async function startReceiver() {
  const replays = createMemoryReplayStore();
  const seen = new Set<string>();
  let rejected = 0;
  let requests = 0;
  let expected = Number.POSITIVE_INFINITY;
  let onAll: (() => void) | undefined;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests++;
    const verdict = await verifyWebhook(SECRET, req.headers, Buffer.concat(chunks), Date.now(), 5 * 60_000, replays);
    if (!verdict.ok) {
      rejected++;
      res.writeHead(401).end(verdict.reason);
      return;
    }
    seen.add(String(req.headers[DELIVERY_HEADER]));
    res.writeHead(204).end();
    if (seen.size >= expected) onAll?.();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/orders`,
    stats: () => ({ distinct: seen.size, requests, rejected }),
    /** Reset and wait for `n` distinct deliveries. */
    expect(n: number): Promise<void> {
      seen.clear();
      requests = 0;
      rejected = 0;
      expected = n;
      return new Promise((resolve) => {
        onAll = resolve;
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function makeOrders(n: number, prefix: string): Order[] {
  const createdAt = Date.UTC(2025, 5, 4, 12, 0);
  return Array.from({ length: n }, (_, i) =>
    orderFromSale({
      attemptId: `${prefix}-${i}`,
      campaignId: 'c-bench',
      contactId: `ct-${i}`,
      createdAt: createdAt + (i % 3_600) * 1_000,
      items: [{ sku: 'SIM-5G', name: '5G SIM plan', quantity: 1, unitPriceMinor: 1999 }],
      currency: 'EUR',
      fulfilment: { kind: 'delivery', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } },
      payment: 'on-delivery',
    }),
  );
}

interface Run {
  readonly queue: string;
  readonly orders: number;
  readonly enqueuePerSecond: number;
  readonly ordersPerSecond: number;
  readonly seconds: number;
  readonly webhookRequests: number;
  readonly rejected: number;
}

/**
 * Enqueue every order as the engine does (validated, key `order:<attemptId>`, 5 attempts), then
 * start a desk and time until the receiver has accepted every order's hand-off.
 */
async function run(name: string, queue: JobQueue, receiver: Awaited<ReturnType<typeof startReceiver>>): Promise<Run> {
  const orders = makeOrders(ORDERS, name);
  const clock = systemClock();
  const enqueueStart = performance.now();
  for (let i = 0; i < orders.length; i += 1_000) {
    await Promise.all(
      orders
        .slice(i, i + 1_000)
        .map((order) => queue.enqueue('fulfilment', order, { idempotencyKey: order.idempotencyKey, maxAttempts: 5, backoffMs: 5_000 })),
    );
  }
  const enqueueSeconds = (performance.now() - enqueueStart) / 1_000;
  const all = receiver.expect(orders.length);
  const start = performance.now();
  const desk = createFulfilment({ queue, clock, config: { timeZone: 'Europe/Madrid' }, webhook: { url: receiver.url, secret: SECRET } });
  await all;
  const seconds = (performance.now() - start) / 1_000;
  await desk.stop();
  const stats = receiver.stats();
  if (desk.orders().filter((r) => r.status === 'handed-off').length !== orders.length) {
    throw new Error(`bench:fulfilment (${name}): not every order was handed off`);
  }
  return {
    queue: name,
    orders: orders.length,
    enqueuePerSecond: Math.round(orders.length / enqueueSeconds),
    ordersPerSecond: Math.round(orders.length / seconds),
    seconds: Math.round(seconds * 100) / 100,
    webhookRequests: stats.requests,
    rejected: stats.rejected,
  };
}

const receiver = await startReceiver();
const redis = await startRedisServer();
let memory: Run;
const bullRuns: Run[] = [];
try {
  memory = await run('memory', createMemoryJobQueue({ clock: systemClock(), random: seededRandom(1) }), receiver);
  for (let i = 1; i <= RUNS; i++) {
    const queue = createBullJobQueue({
      connection: { host: redis.host, port: redis.port },
      tenant: `bench-${i}`,
      clock: systemClock(),
      random: seededRandom(i + 1),
      concurrency: CONCURRENCY,
    });
    try {
      bullRuns.push(await run(`bullmq #${i}`, queue, receiver));
    } finally {
      await queue.close();
    }
  }
} finally {
  await redis.stop();
  await receiver.close();
}
const bull = bullRuns.reduce((best, r) => (r.ordersPerSecond > best.ordersPerSecond ? r : best));

printTable(
  `Fulfilment hand-off: ${ORDERS} orders (order job + signed webhook to a local receiver), BullMQ concurrency ${CONCURRENCY}`,
  ['queue', 'enqueue/s', 'handed off/s', 'seconds', 'webhook requests', 'rejected'],
  [memory, ...bullRuns].map((r) => [r.queue, r.enqueuePerSecond, r.ordersPerSecond, r.seconds, r.webhookRequests, r.rejected]),
);
console.log(
  `\nBullMQ: ${bull.ordersPerSecond} orders/s, best of ${RUNS} (target ≥ ${TARGET}: ${bull.ordersPerSecond >= TARGET ? 'met' : 'NOT met'}), ` +
    `${(bull.ordersPerSecond / memory.ordersPerSecond).toFixed(2)}× the in-memory queue (${memory.ordersPerSecond}/s)`,
);

const out = join(here, 'results', 'fulfilment.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ ordersPerSecond: bull.ordersPerSecond, orders: bull.orders }, null, 2)}\n`);
console.log(`wrote ${out}`);
