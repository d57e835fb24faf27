import { type InboundConfigInput, PacelineError, seededRandom, VirtualClock } from '@paceline/core';
import { AgentFloor, createMemoryStore, INBOUND_EVENTS, type InboundDispositionData } from '@paceline/engine';
import { type CallbackRequest, createFulfilment, feedCallbacks } from '@paceline/fulfilment';
import { computeScorecard } from '@paceline/scripting';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../../packages/engine/test/support/drive';
import { inboundDialer } from '../../packages/engine/test/support/inbound-dialer';
import { newYorkContact, progressiveCampaign } from '../support/campaign';
import { withInbound } from './support/inbound-test-trunk';

/**
 * Issue 23, the engine's second pass: every inbound call — returned, service (unknown or
 * withheld caller), abandoned — is in the inbound call ledger; the agent's day and the scorecard
 * count service calls; a sale on an inbound call goes to fulfilment like an outbound sale, and
 * the delivery's result comes back to the contact.
 */
const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const CALLER_ID = '+12125550100';
const SERVICE_LINE = '+12125550199';
const CUSTOMER = '+12125550123';
const STRANGER = '+12125550777';
const QUEUES: InboundConfigInput = {
  queues: [{ id: 'service', numbers: [SERVICE_LINE], skills: ['service'], scriptId: 'service-script' }],
};
const ORDER: NonNullable<InboundDispositionData['order']> = {
  items: [{ sku: 'TV-55', name: '55" TV', quantity: 1, unitPriceMinor: 49_900 }],
  currency: 'USD',
  fulfilment: { kind: 'delivery', address: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' } },
  payment: 'on-delivery',
};

async function setup() {
  const clock = new VirtualClock(START);
  const random = seededRandom(11);
  const store = createMemoryStore();
  const { dialer, trunk, seen } = inboundDialer({
    clock,
    trunkRandom: random.split('trunk'),
    plan: { outcome: 'no-answer', resolveAfterMs: 4_000, ringingAfterMs: 500, analysisAfterMs: 1_000 },
    trunk: (sim) => withInbound(sim, clock),
    store,
    random: random.split('engine'),
    inbound: QUEUES,
    record: ['error', 'orderCreated', ...INBOUND_EVENTS],
  });
  const floor = new AgentFloor({ events: dialer, now: () => clock.now() });
  await dialer.addCampaign(
    progressiveCampaign('winback', { name: 'Win-back', callerId: CALLER_ID, schedule: { endAt: START + 7 * 86_400_000 } }),
  );
  await dialer.addContacts('winback', [newYorkContact('c1', CUSTOMER), newYorkContact('c2', '+12125550124')]);
  floor.track((await store.getCampaign('winback'))?.campaign as never);
  return { clock, trunk, store, dialer, floor, seen };
}

describe('the inbound call ledger, the agent day and fulfilment (e2e, virtual time)', () => {
  it('records every inbound call (returned, service, withheld, abandoned); the agent day and the scorecard count service calls', async () => {
    const { clock, trunk, store, dialer, floor, seen } = await setup();
    dialer.loginAgent({ id: 'bo', name: 'Bo', skills: ['service'] }, []);
    dialer.ready('bo');

    // 1. an unknown caller on the service line: 61 s of talk, RESOLVED after 10 s of wrap-up.
    const stranger = trunk.call(STRANGER, SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 1_000);
    // 2. a withheld caller waits behind it and gives up after 20 s: a queue abandon.
    const gaveUp = trunk.call(undefined, SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 20_000);
    trunk.callerHangsUp(gaveUp);
    await driveUntil(clock, clock.now() + 40_000);
    await dialer.hangup(stranger);
    await driveUntil(clock, clock.now() + 10_000);
    await dialer.disposition(stranger, 'RESOLVED');
    // 3. a withheld caller reaches Bo: 30 s, SERVICE.
    const withheld = trunk.call(undefined, SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 30_000);
    await dialer.disposition(withheld, 'SERVICE');
    // 4. the customer returns the campaign's call: SAVED.
    const returned = trunk.call(CUSTOMER, CALLER_ID) as string;
    await driveUntil(clock, clock.now() + 45_000);
    await dialer.disposition(returned, 'SAVED');
    await driveUntil(clock, clock.now() + 1_000);
    expect(seen.error).toEqual([]);

    const ledger = await store.listInboundCalls?.(START, clock.now() + 1);
    expect(ledger?.map((c) => [c.id, c.caller, c.outcome, c.agentId, c.dispositionCode])).toEqual([
      [stranger, 'service', 'answered', 'bo', 'RESOLVED'],
      [gaveUp, 'service', 'abandoned', undefined, undefined],
      [withheld, 'service', 'answered', 'bo', 'SERVICE'],
      [returned, 'returned', 'answered', 'bo', 'SAVED'],
    ]);
    const byId = new Map(ledger?.map((c) => [c.id, c]));
    expect(byId.get(stranger)).toMatchObject({ from: STRANGER, to: SERVICE_LINE, queueId: 'service', waitMs: 0 });
    const s = byId.get(stranger);
    expect((s?.endedAt ?? 0) - (s?.connectedAt ?? 0)).toBe(61_000); // connected at once, hung up 1 + 20 + 40 s later
    expect((s?.wrapEndedAt ?? 0) - (s?.endedAt ?? 0)).toBe(10_000);
    expect(byId.get(gaveUp)).toMatchObject({ waitMs: 20_000 });
    expect(byId.get(gaveUp)?.from).toBeUndefined();
    expect(byId.get(withheld)?.from).toBeUndefined();
    expect(byId.get(withheld)?.waitMs).toBe(0); // Bo was ready again
    const back = byId.get(returned);
    expect(back).toMatchObject({ campaignId: 'winback', contactId: 'c1', attemptId: `in-${returned}` });
    // The returned call is also the contact's inbound attempt (the attempt ledger); service calls are not attempts.
    expect((await store.listAttempts('winback', 'c1')).map((a) => [a.id, a.direction])).toEqual([[`in-${returned}`, 'inbound']]);

    // The agent's day counts all three calls Bo took, service calls under their queue.
    const day = floor.day('bo');
    expect(day?.row.calls).toBe(3);
    expect(day?.row.saves).toBe(1);
    expect(day?.calls.map((c) => [c.callId, c.inbound, c.campaignId, c.contactId, c.disposition])).toEqual([
      [stranger, 'service', 'service', undefined, 'RESOLVED'],
      [withheld, 'service', 'service', undefined, 'SERVICE'],
      [returned, 'returned', 'winback', 'c1', 'SAVED'],
    ]);
    expect(day?.calls[0]?.endedAt).toBe(s?.endedAt);
    // AHT over the three calls (talk + wrap-up ÷ calls), not over the returned call only.
    const handled = [...byId.values()].filter((c) => c.outcome === 'answered');
    const work = handled.reduce((sum, c) => sum + (c.wrapEndedAt ?? 0) - (c.connectedAt ?? 0), 0);
    expect(day?.row.ahtMs).toBeCloseTo(work / 3, 0);

    // The scorecard: service calls count for the agent (handled, talk, other contacts → score); the returned call once, through its attempt.
    const attempts = await store.listAttempts('winback', 'c1');
    const card = computeScorecard({ attempts, inboundCalls: ledger ?? [] });
    expect(card.agents.bo).toMatchObject({ handled: 3, saves: 1, otherContacts: 2, serviceCalls: 2, score: 3 });
    expect(card.campaigns.winback).toMatchObject({ handled: 1, serviceCalls: 0 });
    expect(card.campaigns.service).toBeUndefined();
    await dialer.close();
  });

  it('a sale on an inbound call is handed to fulfilment with the contact, and a failed delivery comes back as a callback', async () => {
    const { clock, trunk, store, dialer, seen } = await setup();
    const fulfilment = createFulfilment({ queue: dialer.queue, clock, config: { timeZone: 'America/New_York' } });
    const callbacks: CallbackRequest[] = [];
    fulfilment.on('callbackRequested', (c) => callbacks.push(c));
    feedCallbacks(fulfilment, dialer);
    fulfilment.start();
    dialer.loginAgent({ id: 'bo', name: 'Bo', skills: ['service'] }, ['winback']);
    dialer.ready('bo');

    // A returned caller buys: the order is the contact's, linked to the inbound attempt.
    const returned = trunk.call(CUSTOMER, CALLER_ID) as string;
    await driveUntil(clock, clock.now() + 60_000);
    await dialer.disposition(returned, 'SALE', { order: ORDER });
    await driveUntil(clock, clock.now() + 60_000);
    // A service caller (unknown number) buys: the agent found the customer's record (c2).
    const stranger = trunk.call(STRANGER, SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 30_000);
    const refused = await dialer.disposition(stranger, 'SALE', { order: ORDER }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PacelineError);
    expect((refused as PacelineError).code).toBe('E_INVALID_DISPOSITION');
    expect((refused as Error).message).toContain('data.contact');
    const wrong = await dialer.inbound
      ?.disposition(stranger, 'SALE', { order: ORDER, contact: { campaignId: 'winback', contactId: 'nobody' } })
      .catch((e: unknown) => e);
    expect((wrong as PacelineError).code).toBe('E_INVALID_DISPOSITION');
    await dialer.inbound?.disposition(stranger, 'SALE', { order: ORDER, contact: { campaignId: 'winback', contactId: 'c2' } });
    await driveUntil(clock, clock.now() + 5 * 60_000);
    expect(seen.error).toEqual([]);

    const orders = fulfilment.orders().map((o) => o.order);
    expect(orders.map((o) => [o.id, o.campaignId, o.contactId, o.attemptId])).toEqual([
      [`o-in-${returned}`, 'winback', 'c1', `in-${returned}`],
      [`o-in-${stranger}`, 'winback', 'c2', undefined],
    ]);
    expect(fulfilment.orders().every((o) => o.status === 'handed-off')).toBe(true);
    expect(seen.orderCreated.map((e) => e.order.id)).toEqual(orders.map((o) => o.id));
    expect(seen['inbound.dispositioned'].map((e) => [e.callId, e.sale, e.orderId])).toEqual([
      [returned, true, `o-in-${returned}`],
      [stranger, true, `o-in-${stranger}`],
    ]);
    const ledger = await store.listInboundCalls?.(START, clock.now() + 1);
    expect(ledger?.map((c) => [c.id, c.sale, c.orderId])).toEqual([
      [returned, true, `o-in-${returned}`],
      [stranger, true, `o-in-${stranger}`],
    ]);

    // The courier finds nobody home: the result comes back to the contact as a callback.
    for (const order of orders) await fulfilment.recordDeliveryResult({ orderId: order.id, result: 'not-at-home', note: 'rang twice' });
    await driveUntil(clock, clock.now() + 1_000);
    expect(callbacks.map((c) => [c.campaignId, c.contactId])).toEqual([
      ['winback', 'c1'],
      ['winback', 'c2'],
    ]);
    for (const id of ['c1', 'c2']) {
      const contact = await store.getContact('winback', id);
      expect(contact?.state).toBe('callback');
      expect(contact?.callbackReason).toContain('rang twice');
    }
    await fulfilment.stop();
    await dialer.close();
  });
});
