import { type JobQueue, seededRandom, systemClock } from '@paceline/core';
import { createMemoryJobQueue } from '@paceline/engine';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFulfilment,
  createMemoryReplayStore,
  DELIVERY_HEADER,
  type Fulfilment,
  type FulfilmentDeadLetter,
  fetchHttpClient,
  verifyWebhook,
  WEBHOOK_QUEUE,
  type WebhookEvent,
} from '../src/index';
import { order, type Received, startServer, waitFor } from './support';

const SECRET = 'whsec_0123456789abcdef';
// Real time here: a real HTTP server and the in-memory queue on the system clock, with short backoffs.
const clock = systemClock();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(respond: (request: Received) => number, webhook: { maxAttempts: number; backoffMs: number }) {
  const server = await startServer((request, res) => {
    res.statusCode = respond(request);
    res.end();
  });
  const queue: JobQueue = createMemoryJobQueue({ clock, random: seededRandom(3) });
  const fulfilment: Fulfilment = createFulfilment({
    queue,
    clock,
    config: { timeZone: 'Europe/Madrid' },
    webhook: { url: server.url, secret: SECRET, http: fetchHttpClient({ timeoutMs: 2_000 }), ...webhook },
  });
  cleanups.push(
    server.close,
    () => queue.close(),
    () => fulfilment.stop(),
  );
  return { server, queue, fulfilment };
}

function events(received: readonly Received[]): WebhookEvent[] {
  return received.map((r) => JSON.parse(r.body) as WebhookEvent);
}

describe('outbound webhook against a real HTTP server', () => {
  it('delivers each event signed, verifiable by the exported helper, with a stable delivery id', async () => {
    const { server, fulfilment } = await setup(() => 204, { maxAttempts: 3, backoffMs: 10 });
    await fulfilment.submit(order('a1', clock.now()));
    await waitFor(() => fulfilment.order('o-a1')?.webhook === 'delivered', 5_000, 'the hand-off event');
    const [request] = server.received;
    if (!request) throw new Error('nothing received');
    const replays = createMemoryReplayStore();
    expect((await verifyWebhook(SECRET, request.headers, request.body, clock.now(), 300_000, replays)).ok).toBe(true);
    expect(await verifyWebhook(SECRET, request.headers, request.body, clock.now(), 300_000, replays)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(
      await verifyWebhook(SECRET, request.headers, request.body.replace('"a1', '"a2'), clock.now(), 300_000, createMemoryReplayStore()),
    ).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(request.headers[DELIVERY_HEADER]).toBe('o-a1:handed-off');
    const event = JSON.parse(request.body) as WebhookEvent & { data: { assignment: { roundId: string }; customerMessage: string } };
    expect(event.type).toBe('order.handed-off');
    expect(event.data.assignment.roundId).toMatch(/next-day|afternoon/);
    expect(event.data.customerMessage).toContain('Your order o-a1 will be delivered on');
  });

  it('gives a receiver that was down everything after recovery, in order per order id, each verifiable', async () => {
    let up = false;
    const { server, fulfilment } = await setup(() => (up ? 200 : 503), { maxAttempts: 30, backoffMs: 10 });
    const ids = ['r1', 'r2', 'r3'];
    for (const id of ids) await fulfilment.handOff(order(id, clock.now()));
    for (const id of ids) await fulfilment.recordDeliveryResult({ orderId: `o-${id}`, result: 'not-at-home' });
    for (const id of ids) await fulfilment.recordDeliveryResult({ orderId: `o-${id}`, result: 'delivered-paid' });
    await waitFor(() => server.received.length >= 6, 5_000, 'failed deliveries while the receiver is down');
    expect(server.received.every((r) => JSON.parse(r.body).type === 'order.handed-off')).toBe(true); // later events wait their turn
    up = true;
    await waitFor(() => new Set(events(server.received).map((e) => e.id)).size === 9, 10_000, 'every event after recovery');
    for (const id of ids) {
      // each event of an order is sent only after the previous one was accepted (its last attempt)
      const perOrder = events(server.received)
        .filter((e) => e.orderId === `o-${id}`)
        .map((e) => e.id);
      const names = [`o-${id}:handed-off`, `o-${id}:result-1`, `o-${id}:result-2`];
      for (let i = 1; i < names.length; i++)
        expect(perOrder.indexOf(names[i] as string)).toBeGreaterThan(perOrder.lastIndexOf(names[i - 1] as string));
      expect(fulfilment.order(`o-${id}`)?.webhook).toBe('delivered');
    }
    const replays = createMemoryReplayStore();
    for (const r of server.received) expect((await verifyWebhook(SECRET, r.headers, r.body, clock.now(), 300_000, replays)).ok).toBe(true);
    expect(await fulfilment.deadLetters()).toEqual([]);
  });

  it('dead-letters after the last attempt, keeps it visible, holds the order’s later events, and replays', async () => {
    let status = 500;
    const { server, fulfilment } = await setup(() => status, { maxAttempts: 3, backoffMs: 5 });
    const dead: FulfilmentDeadLetter[] = [];
    fulfilment.on('deadLettered', (d) => dead.push(d));
    await fulfilment.handOff(order('d1', clock.now()));
    await waitFor(() => dead.length === 1, 5_000, 'the dead letter');
    await fulfilment.recordDeliveryResult({ orderId: 'o-d1', result: 'damaged', note: 'box crushed' });
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers[DELIVERY_HEADER]))).toEqual(new Set(['o-d1:handed-off']));
    expect(dead[0]).toMatchObject({ queue: WEBHOOK_QUEUE, orderId: 'o-d1', attempts: 3, error: expect.stringContaining('answered 500') });
    const letters = await fulfilment.deadLetters();
    expect(letters).toEqual([
      expect.objectContaining({ queue: WEBHOOK_QUEUE, jobId: 'webhook:o-d1:handed-off', orderId: 'o-d1', attempts: 3 }),
    ]);
    expect(fulfilment.order('o-d1')?.webhook).toBe('dead-lettered');

    status = 200;
    await fulfilment.replay(WEBHOOK_QUEUE, 'webhook:o-d1:handed-off');
    await waitFor(() => server.received.length === 5, 5_000, 'the replay and the held event');
    expect(server.received.slice(3).map((r) => r.headers[DELIVERY_HEADER])).toEqual(['o-d1:handed-off', 'o-d1:result-1']);
    expect(fulfilment.order('o-d1')?.webhook).toBe('delivered');
    expect(await fulfilment.deadLetters()).toEqual([]);
  });

  it('retries a receiver that cannot be reached at all (connection refused)', async () => {
    const queue = createMemoryJobQueue({ clock, random: seededRandom(4) });
    const fulfilment = createFulfilment({
      queue,
      clock,
      config: { timeZone: 'Europe/Madrid' },
      webhook: { url: 'http://127.0.0.1:9/unreachable', secret: SECRET, maxAttempts: 2, backoffMs: 5 },
    });
    cleanups.push(
      () => queue.close(),
      () => fulfilment.stop(),
    );
    await fulfilment.handOff(order('u1', clock.now()));
    await waitFor(() => fulfilment.order('o-u1')?.webhook === 'dead-lettered', 5_000, 'the dead letter');
    expect(await fulfilment.deadLetters()).toHaveLength(1);
  });
});
