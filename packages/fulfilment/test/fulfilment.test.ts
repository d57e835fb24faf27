import { ORDER_QUEUE as CORE_ORDER_QUEUE, isPacelineError, orderJobOptions, seededRandom, VirtualClock } from '@paceline/core';
import { createMemoryJobQueue, FULFILMENT_QUEUE } from '@paceline/engine';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type CallbackRequest,
  createFulfilment,
  type Escalation,
  type FulfilmentEvents,
  ORDER_QUEUE,
  OrderStatus,
  orderFromSale,
  orderIdempotencyKey,
} from '../src/index';
import { flush, order, sale } from './support';

const ZONE = 'Europe/Madrid';
const ms = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const MINUTE = 60_000;

function desk(startIso = '2025-06-04T12:00', config: Record<string, unknown> = {}) {
  const clock = new VirtualClock(ms(startIso));
  const queue = createMemoryJobQueue({ clock, random: seededRandom(1) });
  const listenerErrors: unknown[] = [];
  const fulfilment = createFulfilment({
    queue,
    clock,
    config: { timeZone: ZONE, ...config },
    onListenerError: (e) => listenerErrors.push(e),
  });
  const seen: { [K in keyof FulfilmentEvents]?: FulfilmentEvents[K][0][] } = {};
  const record = <K extends keyof FulfilmentEvents>(name: K) => {
    const list: FulfilmentEvents[K][0][] = [];
    seen[name] = list as (typeof seen)[K];
    fulfilment.on(name, (...args: FulfilmentEvents[K]) => {
      list.push(args[0]);
    });
  };
  for (const name of [
    'orderHandedOff',
    'orderRejected',
    'deliveryResult',
    'callbackRequested',
    'escalated',
    'escalationOverdue',
    'supervisorEscalation',
  ] as const) {
    record(name);
  }
  return { clock, queue, fulfilment, seen, listenerErrors };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isPacelineError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('orders from the engine’s queue', () => {
  it('reads the queue the engine writes to', () => {
    expect(ORDER_QUEUE).toBe(FULFILMENT_QUEUE);
    expect(orderIdempotencyKey('att-9')).toBe('order:att-9');
  });

  it("submits an order as the engine hands one off: core's order-queue contract", async () => {
    const { clock, queue, fulfilment } = desk();
    const enqueued: unknown[] = [];
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = (name, payload, options) => {
      enqueued.push({ name, options });
      return enqueue(name, payload, options);
    };
    const order = orderFromSale(sale('att-7', clock.now()));
    await fulfilment.submit(order);
    expect(enqueued).toEqual([{ name: CORE_ORDER_QUEUE, options: orderJobOptions(order) }]);
  });

  it('hands an order over once when the same disposition arrives three times', async () => {
    const { clock, queue, fulfilment, seen } = desk();
    // the disposition retried: the same sale three times gives the same order
    const orders = [1, 2, 3].map(() => orderFromSale(sale('att-1', clock.now())));
    expect(orders[1]).toEqual(orders[0]);
    for (const o of orders)
      await queue.enqueue(FULFILMENT_QUEUE, o, { idempotencyKey: o.idempotencyKey, maxAttempts: 5, backoffMs: 5_000 });
    // …and once more as a new job (a queue that forgot the key, or a replay): the desk still knows the order
    await queue.enqueue(FULFILMENT_QUEUE, orders[0]);
    await fulfilment.submit(orders[0]);
    await Promise.all([fulfilment.handOff(orders[0]), fulfilment.handOff(orders[0])]);
    await flush();
    expect(seen.orderHandedOff).toHaveLength(1);
    expect(fulfilment.orders()).toHaveLength(1);
    const record = fulfilment.order('o-att-1');
    expect(record?.status).toBe(OrderStatus.HandedOff);
    expect(record?.assignment).toMatchObject({ kind: 'delivery', roundId: 'next-day', deliveryDate: '2025-06-05' });
    expect(record?.customerMessage).toBe(
      'Your order o-att-1 will be delivered on Thursday 5 June. The courier will call you on Wednesday 4 June between 17:30 and 18:00 to agree a time.',
    );
  });

  it('uses the time the order was taken, not the time it was processed, for the cut-off', async () => {
    const { fulfilment } = desk('2025-06-04T17:05');
    const record = await fulfilment.handOff(order('late-queue', ms('2025-06-04T16:58')));
    expect(record?.assignment).toMatchObject({ roundId: 'next-day', handOffAt: ms('2025-06-04T17:30') });
  });

  it('rejects invalid and undeliverable orders without retrying them', async () => {
    const { clock, queue, fulfilment, seen } = desk('2025-06-04T12:00', { zones: [{ id: 'madrid', postalCodePrefixes: ['28'] }] });
    await queue.enqueue(FULFILMENT_QUEUE, { id: 'o-bad', items: [] }, { idempotencyKey: 'order:bad', maxAttempts: 5 });
    const far = order('far', clock.now(), {
      fulfilment: { kind: 'delivery', address: { line1: 'Rambla 1', city: 'Barcelona', postalCode: '08002', country: 'ES' } },
    });
    await fulfilment.submit(far);
    await flush();
    expect(seen.orderRejected?.map((r) => [r.orderId, r.error.code])).toEqual([
      ['o-bad', 'E_INVALID_ORDER'],
      ['o-far', 'E_INVALID_ORDER'],
    ]);
    expect(fulfilment.order('o-far')).toMatchObject({
      status: OrderStatus.Rejected,
      rejection: expect.stringContaining('no delivery zone covers ES 08002'),
    });
    expect(await fulfilment.deadLetters()).toEqual([]);
    expect(await refusal(fulfilment.submit({ id: 'nope' }))).toBe('E_INVALID_ORDER');
  });

  it('contains a throwing listener: the hand-off still completes', async () => {
    const { fulfilment, listenerErrors, seen } = desk();
    fulfilment.on('orderHandedOff', () => {
      throw new Error('dashboard down');
    });
    await fulfilment.handOff(order('l1', ms('2025-06-04T12:00')));
    expect(seen.orderHandedOff).toHaveLength(1);
    expect(listenerErrors).toHaveLength(1);
  });
});

describe('feedback: delivery results, callbacks and escalations', () => {
  it('turns "not at home" into a callback with the reason for the agent, once per result id', async () => {
    const { clock, fulfilment, seen } = desk();
    await fulfilment.handOff(order('f1', clock.now()));
    clock.advance(30 * MINUTE);
    const first = await fulfilment.recordDeliveryResult({ id: 'courier-77', orderId: 'o-f1', result: 'not-at-home', note: 'rang twice' });
    const again = await fulfilment.recordDeliveryResult({ id: 'courier-77', orderId: 'o-f1', result: 'not-at-home', note: 'rang twice' });
    expect(again).toEqual(first);
    expect(first.record.status).toBe(OrderStatus.Failed);
    expect(seen.callbackRequested).toEqual<CallbackRequest[]>([
      {
        id: 'cb-o-f1-1',
        orderId: 'o-f1',
        campaignId: 'c-1',
        contactId: 'ct-f1',
        attemptId: 'f1',
        result: 'not-at-home',
        reason: 'Not at home for the delivery: agree a new delivery slot.',
        note: 'rang twice',
        dueAt: clock.now() + 60 * MINUTE,
        requestedAt: clock.now(),
      },
    ]);
    expect(seen.deliveryResult?.map((r) => r.status)).toEqual(['failed']);
    // a second attempt succeeds
    const delivered = await fulfilment.recordDeliveryResult({ orderId: 'o-f1', result: 'delivered-paid' });
    expect(delivered.record.status).toBe(OrderStatus.Delivered);
    expect(delivered.callback).toBeUndefined();
    expect(delivered.record.results.map((r) => r.result)).toEqual(['not-at-home', 'delivered-paid']);
    expect(await refusal(fulfilment.recordDeliveryResult({ orderId: 'o-f1', result: 'damaged' }))).toBe('E_CONFLICT');
    expect(await refusal(fulfilment.recordDeliveryResult({ orderId: 'o-unknown', result: 'refused' }))).toBe('E_NOT_FOUND');
    expect(await refusal(fulfilment.recordDeliveryResult({ orderId: 'o-f1', result: 'lost' }))).toBe('E_INVALID_INPUT');
  });

  it('escalates "damaged" to logistics with what it needs and its agreed deadline; a breach is reported on the clock', async () => {
    const { clock, fulfilment, seen } = desk();
    await fulfilment.handOff(order('f2', clock.now()));
    const opened = clock.now();
    const { escalation, callback } = await fulfilment.recordDeliveryResult({ orderId: 'o-f2', result: 'damaged', note: 'box crushed' });
    expect(callback).toBeUndefined();
    expect(escalation).toMatchObject<Partial<Escalation>>({
      departmentId: 'logistics',
      topic: 'damaged',
      informsCustomer: 'department',
      openedAt: opened,
      dueAt: opened + 240 * MINUTE,
      supervisorAt: opened + 480 * MINUTE,
      missingInfo: [],
      status: 'open',
    });
    expect(escalation?.info).toMatchObject({
      orderId: 'o-f2',
      address: 'Calle Mayor 1, 28013 Madrid, ES',
      note: 'box crushed',
      result: 'damaged',
    });
    expect(seen.escalated).toHaveLength(1);

    clock.advance(239 * MINUTE);
    expect(seen.escalationOverdue).toEqual([]);
    clock.advance(2 * MINUTE);
    expect(seen.escalationOverdue).toEqual([
      { escalation: expect.objectContaining({ id: escalation?.id, breached: true }), overdueByMs: 0 },
    ]);
    clock.advance(240 * MINUTE);
    expect(seen.supervisorEscalation?.map((e) => e.id)).toEqual([escalation?.id]);
    fulfilment.checkEscalations(); // each deadline is reported once
    expect(seen.escalationOverdue).toHaveLength(1);
    expect(seen.supervisorEscalation).toHaveLength(1);
  });

  it('meets the agreement when the department acknowledges in time, and stops the clock when resolved', async () => {
    const { clock, fulfilment, seen } = desk();
    await fulfilment.handOff(order('f3', clock.now()));
    await fulfilment.handOff(order('f4', clock.now()));
    const a = (await fulfilment.recordDeliveryResult({ orderId: 'o-f3', result: 'damaged' })).escalation;
    const b = (await fulfilment.recordDeliveryResult({ orderId: 'o-f4', result: 'damaged' })).escalation;
    if (!a || !b) throw new Error('expected escalations');
    clock.advance(100 * MINUTE);
    expect((await fulfilment.acknowledgeEscalation(a.id)).respondedAt).toBe(clock.now());
    expect((await fulfilment.resolveEscalation(b.id, 'replacement sent')).status).toBe('resolved');
    clock.advance(1_000 * MINUTE);
    expect(seen.escalationOverdue).toEqual([]);
    // acknowledged but still open at the supervisor threshold: a supervisor steps in
    expect(seen.supervisorEscalation?.map((e) => e.id)).toEqual([a.id]);
  });

  it('uses the host’s departments and rules, flagging information the department needs but did not get', async () => {
    const { clock, fulfilment, seen } = desk('2025-06-04T12:00', {
      departments: [
        {
          id: 'quality',
          name: 'Sales quality',
          topics: ['refused'],
          requiredInfo: ['orderId', 'note', 'recording'],
          responseMinutes: 30,
          informsCustomer: 'department',
        },
        { id: 'logistics', name: 'Logistics', topics: ['damaged'], responseMinutes: 60 },
      ],
      followUps: {
        refused: {
          escalation: { department: 'quality', topic: 'refused' },
          callback: { delayMinutes: 1440, reason: 'Refused at the door: win back.' },
        },
      },
    });
    await fulfilment.handOff(order('f5', clock.now()));
    const outcome = await fulfilment.recordDeliveryResult({ orderId: 'o-f5', result: 'refused' });
    expect(outcome.escalation).toMatchObject({
      departmentId: 'quality',
      missingInfo: ['note', 'recording'],
      dueAt: clock.now() + 30 * MINUTE,
    });
    expect(outcome.callback).toMatchObject({ reason: 'Refused at the door: win back.', dueAt: clock.now() + 1440 * MINUTE });
    expect(seen.callbackRequested).toHaveLength(1);
    expect(seen.escalated).toHaveLength(1);
  });

  it('reports the day: orders per round, delivered, failed by reason, pending, breaches', async () => {
    const { clock, fulfilment } = desk('2025-06-04T09:00');
    await fulfilment.handOff(order('m1', clock.now())); // afternoon, 11:30 today
    await fulfilment.handOff(order('m2', clock.now()));
    clock.advanceTo(ms('2025-06-04T12:00'));
    await fulfilment.handOff(order('n1', clock.now())); // next-day, 17:30 today
    await fulfilment.handOff(order('n2', clock.now()));
    await fulfilment.handOff(order('tomorrow', ms('2025-06-04T18:00'))); // afternoon, tomorrow
    await fulfilment.recordDeliveryResult({ orderId: 'o-m1', result: 'delivered-paid' });
    await fulfilment.recordDeliveryResult({ orderId: 'o-m2', result: 'not-at-home' });
    await fulfilment.recordDeliveryResult({ orderId: 'o-n1', result: 'damaged' });
    clock.advance(5 * 60 * MINUTE); // logistics' 4 h pass
    const report = fulfilment.report('2025-06-04');
    expect(report).toMatchObject({
      date: '2025-06-04',
      perRound: { afternoon: 2, 'next-day': 2 },
      handedOff: 4,
      delivered: 1,
      failed: { 'not-at-home': 1, damaged: 1 },
      pending: 1,
      rejected: 0,
    });
    expect(report.breaches.map((e) => e.orderId)).toEqual(['o-n1']);
    expect(fulfilment.report('2025-06-05').perRound).toEqual({ afternoon: 1 });
  });
});
