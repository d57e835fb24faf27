import { type Contact, parseCampaign, parseContact } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { Hopper } from '../src/index';

const campaign = parseCampaign({
  id: 'camp-1',
  name: 'x',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+14155550100',
  homeTimeZone: 'America/Chicago',
  maxAttempts: 3,
});
const MIN = 60_000;
const T0 = Date.UTC(2026, 6, 1, 15);

function contacts(n: number, priority = 0, from = 0): Contact[] {
  return Array.from({ length: n }, (_, i) =>
    parseContact({ id: `c${from + i}`, phones: [{ number: `+1212555${String(from + i).padStart(4, '0')}` }], priority }),
  );
}

describe('Hopper', () => {
  it('orders callbacks due, then priority, then due retries, then fresh contacts', () => {
    const hopper = new Hopper({ campaign, targetSize: 10 });
    hopper.add([...contacts(3), ...contacts(1, 5, 10)], T0);
    const [first] = hopper.claim(1, T0);
    expect(first?.contact.id).toBe('c10'); // priority 5
    hopper.complete('c10', { outcome: 'busy' }, T0); // retry in 10 min
    const [a, b] = hopper.claim(2, T0);
    hopper.complete(a?.contact.id as string, { outcome: 'no-answer' }, T0); // retry in 2 h
    hopper.complete(
      b?.contact.id as string,
      { disposition: { code: 'CALLBACK', dnc: false, final: false, callback: true }, callbackAt: T0 + 30 * MIN },
      T0,
    );
    const order = hopper.claim(10, T0 + 3 * 3_600_000).map((e) => `${e.contact.id}:${e.kind}`);
    expect(order).toEqual(['c1:callback', 'c10:retry', 'c0:retry', 'c2:fresh']);
  });

  it('keeps agent-owned callbacks for their agent', () => {
    const hopper = new Hopper({ campaign, targetSize: 5 });
    hopper.add(contacts(2), T0);
    hopper.scheduleCallback('c0', T0 + MIN, 'agent-7');
    expect(hopper.claim(5, T0 + 2 * MIN, { agentIds: ['agent-1'] }).map((e) => e.contact.id)).toEqual(['c1']);
    expect(hopper.claim(5, T0 + 2 * MIN, { agentIds: ['agent-7'] }).map((e) => `${e.contact.id}:${e.agentId}`)).toEqual(['c0:agent-7']);
  });

  it('stays filled ahead of the pacer and emits low water when it would run dry', () => {
    const hopper = new Hopper({ campaign, targetSize: 10, lowWater: 4 });
    const events: number[] = [];
    hopper.on('lowWater', (e) => events.push(e.size));
    hopper.add(contacts(25), T0);
    hopper.refill(T0);
    expect(hopper.size).toBe(10);
    hopper.claim(8, T0);
    expect(hopper.size).toBe(10);
    expect(events).toEqual([]);
    hopper.claim(10, T0);
    expect(hopper.size).toBe(7);
    hopper.claim(5, T0);
    expect(events).toEqual([2]);
  });

  it('recycles by outcome and retires at max attempts; defer and release keep the contact', () => {
    const hopper = new Hopper({ campaign, targetSize: 5 });
    hopper.add(contacts(1), T0);
    let now = T0;
    const decisions: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [e] = hopper.claim(1, now);
      expect(e?.attempts).toBe(i);
      const d = hopper.complete('c0', { outcome: 'machine' }, now);
      decisions.push(d.kind);
      now += 25 * 3_600_000;
    }
    expect(decisions).toEqual(['retry', 'retry', 'done']);
    expect(hopper.total).toBe(0);

    hopper.add(contacts(1, 0, 5), now);
    hopper.claim(1, now);
    hopper.defer('c5', now + 60 * MIN);
    expect(hopper.claim(1, now + 30 * MIN)).toEqual([]);
    expect(hopper.nextDueAt()).toBe(now + 60 * MIN);
    expect(hopper.claim(1, now + 60 * MIN).map((e) => e.contact.id)).toEqual(['c5']);
    hopper.release('c5');
    expect(hopper.claim(1, now + 61 * MIN).map((e) => e.contact.id)).toEqual(['c5']);
    expect(() => hopper.release('nobody')).toThrow(/not claimed/);
    expect(hopper.complete('c5', { disposition: { code: 'DNC', dnc: true, final: true, callback: false } }, now).kind).toBe('dnc');
  });

  it('refuses a bad configuration', () => {
    expect(() => new Hopper({ campaign, targetSize: 0 })).toThrow(/hopper\.targetSize/);
    expect(() => new Hopper({ campaign, targetSize: 5, lowWater: 9 })).toThrow(/hopper\.lowWater/);
  });
});
