import { seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import { type CallOffer, createDialer } from '@paceline/engine';
import { type CallbackRequest, createFulfilment, feedCallbacks } from '@paceline/fulfilment';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../../packages/engine/test/support/drive';

/**
 * The whole loop on one virtual clock: a sale on a call becomes an order, fulfilment hands it
 * to a delivery round, the courier reports "not at home", and the dialer calls the customer
 * back with the reason on the agent's screen.
 */
describe('sale → order → failed delivery → callback', () => {
  it('closes the loop', async () => {
    const start = Date.UTC(2026, 10, 23, 14, 0); // Monday 15:00 in Madrid
    const clock = new VirtualClock(start);
    const random = seededRandom(4);
    const trunk = createSimTrunk({
      clock,
      random: random.split('trunk'),
      model: scriptedOutcomeModel({}, { outcome: 'human', resolveAfterMs: 4_000, analysisAfterMs: 1_000 }),
    });
    const dialer = createDialer({ trunk, media: trunk.media, clock, random: random.split('engine'), logger: silentLogger });
    const fulfilment = createFulfilment({ queue: dialer.queue, clock, config: { timeZone: 'Europe/Madrid' } });
    const callbacks: CallbackRequest[] = [];
    fulfilment.on('callbackRequested', (c) => callbacks.push(c));
    feedCallbacks(fulfilment, dialer);
    fulfilment.start();

    await dialer.addCampaign({
      id: 'upsell',
      name: 'Upsell',
      goal: 'sales',
      dialMode: 'progressive',
      complianceProfile: 'us-federal',
      callerId: '+12125550100',
      homeTimeZone: 'Europe/Madrid',
      // runs for a week: callbacks booked after the list is exhausted are still dialled
      schedule: { endAt: start + 7 * 86_400_000 },
    });
    await dialer.addContacts('upsell', [{ id: 'c1', phones: [{ number: '+12125550123' }], state: 'NY' }]);
    const offers: CallOffer[] = [];
    dialer.on('connected', (offer) => offers.push(offer));
    dialer.on('ended', (e) => {
      const offer = offers.find((o) => o.callId === e.callId);
      if (!offer || offers.length > 1) return;
      void dialer.disposition(e.callId, 'SALE', {
        order: {
          items: [{ sku: 'TV-55', name: '55" TV', quantity: 1, unitPriceMinor: 49_900 }],
          currency: 'EUR',
          fulfilment: { kind: 'delivery', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } },
          payment: 'on-delivery',
        },
      });
    });
    dialer.on('connected', (offer) => {
      clock.setTimer(60_000, () => void dialer.hangup(offer.callId));
    });
    dialer.loginAgent({ id: 'ana', name: 'Ana' }, ['upsell']);
    dialer.ready('ana');
    await dialer.start('upsell');

    // Two virtual days at the 1-s pacing tick: one event-loop turn per timer is all this loop's
    // async work needs, and three (the default) double the test's time.
    await driveUntil(clock, start + 5 * 60_000, 1);
    const [order] = fulfilment.orders();
    expect(order?.status).toBe('handed-off');

    await fulfilment.recordDeliveryResult({ orderId: order?.order.id, result: 'not-at-home', note: 'rang twice' });
    expect(callbacks).toHaveLength(1);
    await driveUntil(clock, start + 2 * 86_400_000, 1);
    expect(offers).toHaveLength(2);
    expect(offers[1]?.contact.id).toBe('c1');
    expect(offers[1]?.callbackReason).toContain('rang twice');
    expect(offers[1]?.attempt.startedAt).toBeGreaterThanOrEqual(callbacks[0]?.dueAt ?? Number.POSITIVE_INFINITY);
    await fulfilment.stop();
    await dialer.close();
  });
});
