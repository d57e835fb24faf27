import type { Escalation, FulfilmentStore, OrderRecord } from '@paceline/fulfilment';
import { OrderStatus, orderFromSale } from '@paceline/fulfilment';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** How a conformance run gets a fresh, empty fulfilment store, and how it cleans up after. */
export interface FulfilmentStoreFixture {
  readonly store: FulfilmentStore;
  readonly cleanup?: () => Promise<void>;
}

const record = (attemptId: string, status: OrderStatus = OrderStatus.Received): OrderRecord => ({
  order: orderFromSale({
    attemptId,
    campaignId: 'k1',
    contactId: `ct-${attemptId}`,
    createdAt: 1_000,
    items: [{ sku: 'SIM-5G', name: '5G SIM plan', quantity: 1, unitPriceMinor: 1999 }],
    currency: 'EUR',
    fulfilment: { kind: 'delivery', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } },
    payment: 'on-delivery',
  }),
  status,
  receivedAt: 2_000,
  results: [],
});

const escalation = (id: string, status: Escalation['status'] = 'open'): Escalation => ({
  id,
  orderId: 'o1',
  campaignId: 'k1',
  contactId: 'ct-1',
  departmentId: 'logistics',
  topic: 'failed delivery',
  reason: 'not-home',
  info: { orderId: 'o1' },
  missingInfo: [],
  informsCustomer: 'department',
  openedAt: 1,
  dueAt: 2,
  status,
  breached: false,
  supervisorAlerted: false,
});

/**
 * The one `FulfilmentStore` conformance suite (in-memory, Redis, Redis Cluster): what a
 * fulfilment desk relies on to survive a restart and to share its state between workers.
 */
export function describeFulfilmentStoreConformance(name: string, makeStore: () => Promise<FulfilmentStoreFixture>): void {
  describe(`FulfilmentStore conformance: ${name}`, () => {
    let fixture: FulfilmentStoreFixture;
    let store: FulfilmentStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('keeps order records by id and by idempotency key, listed in the order first put, a replace in place', async () => {
      const a = record('att-1');
      const b = record('att-2');
      expect(await store.getOrder(a.order.id)).toBeUndefined();
      expect(await store.findOrder(a.order.idempotencyKey)).toBeUndefined();
      await store.putOrder(a);
      await store.putOrder(b);
      const handed = { ...a, status: OrderStatus.HandedOff, handedOffAt: 3_000 };
      await store.putOrder(handed);
      expect(await store.getOrder(a.order.id)).toEqual(handed);
      expect(await store.findOrder(a.order.idempotencyKey)).toBe(a.order.id);
      expect((await store.listOrders()).map((r) => [r.order.id, r.status])).toEqual([
        [a.order.id, OrderStatus.HandedOff],
        [b.order.id, OrderStatus.Received],
      ]);
    });

    it('returns copies: changing a record after put or get changes nothing stored', async () => {
      const a = record('att-1');
      await store.putOrder(a);
      const got = (await store.getOrder(a.order.id)) as { status: string };
      got.status = 'mutated';
      expect((await store.getOrder(a.order.id))?.status).toBe(OrderStatus.Received);
    });

    it('books a pickup slot up to its capacity, once per order, atomically under concurrent claims', async () => {
      expect(await store.claimPickupSlot('store-1@1000', 'o1', 2)).toBe(true);
      expect(await store.claimPickupSlot('store-1@1000', 'o1', 2)).toBe(true); // a repeat holds the same place
      const racing = await Promise.all(['o2', 'o3', 'o4', 'o5'].map((id) => store.claimPickupSlot('store-1@1000', id, 2)));
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await store.pickupTaken(['store-1@1000', 'store-1@2000'])).toEqual([2, 0]);
      expect(await store.releasePickupSlot('store-1@1000', 'o1')).toBe(true);
      expect(await store.releasePickupSlot('store-1@1000', 'o1')).toBe(false);
      expect(await store.pickupTaken(['store-1@1000'])).toEqual([1]);
      expect(await store.claimPickupSlot('store-1@1000', 'o9', 2)).toBe(true);
    });

    it('keeps escalations oldest first, a replace in place', async () => {
      await store.putEscalation(escalation('esc-1'));
      await store.putEscalation(escalation('esc-2'));
      await store.putEscalation(escalation('esc-1', 'resolved'));
      expect((await store.listEscalations()).map((e) => [e.id, e.status])).toEqual([
        ['esc-1', 'resolved'],
        ['esc-2', 'open'],
      ]);
    });

    it('keeps the first outcome of a delivery result id', async () => {
      const first = { record: record('att-1', OrderStatus.Failed) };
      const second = { record: record('att-1', OrderStatus.Delivered) };
      expect(await store.getFeedback('r1')).toBeUndefined();
      expect(await store.recordFeedback('r1', first)).toEqual(first);
      expect(await store.recordFeedback('r1', second)).toEqual(first);
      expect(await store.getFeedback('r1')).toEqual(first);
    });

    it('counts named sequences from 1, each on its own, never repeating under concurrency', async () => {
      const values = await Promise.all(Array.from({ length: 20 }, () => store.nextSequence('escalation')));
      expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.nextSequence('callback')).toBe(1);
    });

    it('records a webhook delivery once, with when', async () => {
      expect(await store.deliveredAt('o1:handed-off')).toBeUndefined();
      expect(await store.markDelivered('o1:handed-off', 5_000)).toBe(true);
      expect(await store.markDelivered('o1:handed-off', 6_000)).toBe(false);
      expect(await store.deliveredAt('o1:handed-off')).toBe(5_000);
    });
  });
}
