import type { Order } from '@paceline/core';
import { seededRandom, VirtualClock } from '@paceline/core';
import { createMemoryJobQueue } from '@paceline/engine';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createFulfilment, type OrderRecord } from '../src/index';
import { order } from './support';

const ZONE = 'Europe/Madrid';
const ms = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const local = (t: number) => DateTime.fromMillis(t, { zone: ZONE }).toFormat('ccc yyyy-MM-dd HH:mm');

function desk(startIso: string) {
  const clock = new VirtualClock(ms(startIso));
  const queue = createMemoryJobQueue({ clock, random: seededRandom(1) });
  const fulfilment = createFulfilment({
    queue,
    clock,
    config: {
      timeZone: ZONE,
      pickup: {
        leadMinutes: 120,
        locations: [
          {
            id: 'sol',
            name: 'Paceline Store Sol',
            address: 'Puerta del Sol 5, Madrid',
            openingHours: { start: '10:00', end: '12:00' },
            slotMinutes: 60,
            capacityPerSlot: 2,
          },
          {
            id: 'vip',
            name: 'Castellana',
            kind: 'vip-room',
            address: 'Paseo de la Castellana 200, Madrid',
            openingHours: { start: '16:00', end: '18:00' },
            openDays: [6],
          },
        ],
      },
    },
  });
  return { clock, fulfilment };
}

function pickup(id: string, createdAt: number, locationId: string, slotStartAt?: number): Order {
  return order(id, createdAt, { fulfilment: { kind: 'pickup', locationId, ...(slotStartAt === undefined ? {} : { slotStartAt }) } });
}

describe('store and VIP-room pickup', () => {
  it('tiles opening hours into slots with a capacity each, on open days only', () => {
    const { fulfilment } = desk('2025-06-06T08:00'); // Friday
    const slots = fulfilment.pickupSlots('sol', ms('2025-06-06T00:00'), ms('2025-06-10T00:00'));
    // Friday and Monday (the weekend is closed), two one-hour slots a day
    expect(
      slots.map((s) => `${local(s.startAt)}–${DateTime.fromMillis(s.endAt, { zone: ZONE }).toFormat('HH:mm')} (${s.remaining})`),
    ).toEqual([
      'Fri 2025-06-06 10:00–11:00 (2)',
      'Fri 2025-06-06 11:00–12:00 (2)',
      'Mon 2025-06-09 10:00–11:00 (2)',
      'Mon 2025-06-09 11:00–12:00 (2)',
    ]);
    expect(fulfilment.pickupSlots('vip', ms('2025-06-06T00:00'), ms('2025-06-10T00:00')).map((s) => local(s.startAt))).toEqual([
      'Sat 2025-06-07 16:00',
      'Sat 2025-06-07 16:30',
      'Sat 2025-06-07 17:00',
      'Sat 2025-06-07 17:30',
    ]);
  });

  it('books the requested slot until it is full, then the next free one, and tells the customer where and when', async () => {
    const { fulfilment } = desk('2025-06-06T08:00');
    const requested = ms('2025-06-09T10:00');
    const records: (OrderRecord | undefined)[] = [];
    for (const id of ['a', 'b', 'c']) records.push(await fulfilment.handOff(pickup(id, ms('2025-06-06T08:00'), 'sol', requested)));
    const slots = records.map((r) => (r?.assignment?.kind === 'pickup' ? local(r.assignment.slot.startAt) : undefined));
    expect(slots).toEqual(['Mon 2025-06-09 10:00', 'Mon 2025-06-09 10:00', 'Mon 2025-06-09 11:00']);
    const third = records[2]?.assignment;
    expect(third?.kind === 'pickup' && third.requestedSlotUnavailable).toBe(true);
    expect(records[0]?.customerMessage).toBe(
      'Your order o-a is booked for pickup at Paceline Store Sol, Puerta del Sol 5, Madrid, on Monday 9 June between 10:00 and 11:00. Please bring your order number.',
    );
    expect(fulfilment.pickupSlots('sol', requested, requested + 1).map((s) => s.remaining)).toEqual([0]);
  });

  it('respects the lead time: no slot before the order can be packed', async () => {
    const { fulfilment } = desk('2025-06-06T08:30');
    const record = await fulfilment.handOff(pickup('early', ms('2025-06-06T08:30'), 'sol'));
    // 08:30 + 2 h lead = 10:30: the 10:00 slot is too early
    expect(record?.assignment?.kind === 'pickup' && local(record.assignment.slot.startAt)).toBe('Fri 2025-06-06 11:00');
  });

  it('names the VIP room in the confirmation', async () => {
    const { fulfilment } = desk('2025-06-06T08:00');
    const record = await fulfilment.handOff(pickup('v', ms('2025-06-06T08:00'), 'vip'));
    expect(record?.customerMessage).toContain(
      'at the VIP room at Castellana, Paseo de la Castellana 200, Madrid, on Saturday 7 June between 16:00 and 16:30',
    );
  });

  it('rejects an order for an unknown location or with no slot left, without handing it off', async () => {
    const { fulfilment } = desk('2025-06-06T08:00');
    const rejected: string[] = [];
    fulfilment.on('orderRejected', ({ error }) => rejected.push(error.code));
    expect((await fulfilment.handOff(pickup('x', ms('2025-06-06T08:00'), 'nowhere')))?.status).toBe('rejected');
    expect(rejected).toEqual(['E_NOT_FOUND']);
  });
});
