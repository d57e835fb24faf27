import { seededRandom, VirtualClock } from '@paceline/core';
import { createMemoryJobQueue } from '@paceline/engine';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CallbackRequest,
  createFeedbackReceiver,
  createFulfilment,
  createMemoryReplayStore,
  DELIVERY_RESULT_EVENT,
  signWebhook,
} from '../src/index';
import { order, startServer } from './support';

const SECRET = 'courier-secret-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup() {
  const clock = new VirtualClock(1_750_000_000_000);
  const queue = createMemoryJobQueue({ clock, random: seededRandom(2) });
  const fulfilment = createFulfilment({ queue, clock, config: { timeZone: 'Europe/Madrid' } });
  const receive = createFeedbackReceiver({ fulfilment, secret: SECRET, clock, toleranceMs: 60_000, replays: createMemoryReplayStore() });
  // The host's HTTP server: a real node:http server handing the raw body to the receiver.
  const server = await startServer(async (request, res) => {
    const answer = await receive({ headers: request.headers, body: request.body });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  cleanups.push(server.close, () => queue.close());
  const post = async (body: string, headers: Record<string, string>) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { clock, fulfilment, post };
}

describe('delivery results by signed webhook', () => {
  it('records a signed result and answers with the follow-up', async () => {
    const { clock, fulfilment, post } = await setup();
    await fulfilment.handOff(order('w1', clock.now()));
    const callbacks: CallbackRequest[] = [];
    fulfilment.on('callbackRequested', (c) => callbacks.push(c));
    const body = JSON.stringify({ id: 'dlv-1', orderId: 'o-w1', result: 'wrong-address', reportedBy: 'courier 12' });
    const answer = await post(body, signWebhook(SECRET, body, clock.now(), DELIVERY_RESULT_EVENT));
    expect(answer).toEqual({
      status: 200,
      json: { orderId: 'o-w1', status: 'failed', callbackId: 'cb-o-w1-1', callbackDueAt: clock.now() + 15 * 60_000 },
    });
    expect(callbacks.map((c) => c.reason)).toEqual(['The courier could not find the address: confirm the delivery address.']);
  });

  it('rejects tampered, stale and replayed requests with 401, and bad results with 400/404/409', async () => {
    const { clock, fulfilment, post } = await setup();
    await fulfilment.handOff(order('w2', clock.now()));
    const body = JSON.stringify({ orderId: 'o-w2', result: 'delivered-paid' });
    const headers = signWebhook(SECRET, body, clock.now(), DELIVERY_RESULT_EVENT);
    expect(await post(body.replace('delivered-paid', 'refused'), headers)).toEqual({
      status: 401,
      json: { error: 'unauthorised', reason: 'bad-signature' },
    });
    expect((await post(body, headers)).status).toBe(200);
    expect(await post(body, headers)).toEqual({ status: 401, json: { error: 'unauthorised', reason: 'replayed' } });
    clock.advance(61_000);
    const stale = JSON.stringify({ orderId: 'o-w2', result: 'refused' });
    expect((await post(stale, signWebhook(SECRET, stale, clock.now() - 61_000, DELIVERY_RESULT_EVENT))).json).toEqual({
      error: 'unauthorised',
      reason: 'stale',
    });
    const sign = (b: string) => signWebhook(SECRET, b, clock.now(), DELIVERY_RESULT_EVENT);
    const conflict = JSON.stringify({ orderId: 'o-w2', result: 'damaged' });
    expect((await post(conflict, sign(conflict))).status).toBe(409);
    const unknown = JSON.stringify({ orderId: 'o-nope', result: 'damaged' });
    expect((await post(unknown, sign(unknown))).status).toBe(404);
    const invalid = JSON.stringify({ orderId: 'o-w2', result: 'stolen' });
    const answer = await post(invalid, sign(invalid));
    expect(answer.status).toBe(400);
    expect(answer.json.issues).toEqual([expect.objectContaining({ path: 'deliveryResult.result' })]);
    expect((await post('{not json', sign('{not json'))).json).toEqual({ error: 'invalid-json' });
    const relabelled = JSON.stringify({ orderId: 'o-w2', result: 'refused' });
    expect((await post(relabelled, signWebhook(SECRET, relabelled, clock.now(), 'order.updated'))).json).toEqual({
      error: 'unexpected-event',
      expected: DELIVERY_RESULT_EVENT,
    });
    expect(fulfilment.order('o-w2')?.status).toBe('delivered');
  });
});
