import { PacelineError, seededRandom, type TrunkEvent, VirtualClock } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ArrivalProfile,
  type ArrivalSpike,
  createSimTrunk,
  expectedArrivals,
  nextArrival,
  rateAt,
  type SimInboundOptions,
  scriptedOutcomeModel,
} from '../src/index';

const DAY = 86_400_000;
const HALF_HOUR = 1_800_000;
const T0 = Date.UTC(2026, 11, 7); // a Monday, midnight UTC
const LINE = '+14155550100';
const SERVICE = '+14155550200';
const noOutbound = scriptedOutcomeModel({});

/** A centre open 08:00–20:00: 24 half-hour rates, a morning peak. */
const dayProfile = (peak: number): ArrivalProfile => ({
  dayStartMs: T0,
  intervalMs: HALF_HOUR,
  ratesPerHour: [...Array<number>(16).fill(0), ...Array.from({ length: 24 }, (_, i) => (i < 8 ? peak : peak / 2))],
});

const inbound = (over: Partial<SimInboundOptions> = {}): SimInboundOptions => ({
  profile: dayProfile(120),
  patience: { kind: 'exponential', meanMs: 60_000 },
  handleTime: { kind: 'lognormal', medianMs: 180_000, sigma: 0.5 },
  callers: { known: ['+14155551001', '+14155551002'], knownShare: 0.3, withheldShare: 0.1 },
  ...over,
});

function recorded(seed: number, options: SimInboundOptions, act?: (trunk: ReturnType<typeof createSimTrunk>, e: TrunkEvent) => void) {
  const clock = new VirtualClock(T0);
  const trunk = createSimTrunk({ clock, random: seededRandom(seed), model: noOutbound, inbound: options });
  trunk.acceptInbound([LINE, SERVICE]);
  const events: TrunkEvent[] = [];
  trunk.onEvent((e) => {
    events.push(e);
    act?.(trunk, e);
  });
  return { clock, trunk, events };
}

describe('trunk-sim inbound: scripted calls', () => {
  const setup = (maxChannels?: number) => {
    const clock = new VirtualClock(0);
    const trunk = createSimTrunk({ clock, random: seededRandom(1), model: noOutbound, ...(maxChannels && { maxChannels }) });
    const events: TrunkEvent[] = [];
    trunk.onEvent((e) => events.push(e));
    trunk.acceptInbound([LINE]);
    return { clock, trunk, events, of: (id: string | undefined) => events.filter((e) => e.callId === id) };
  };

  it('offers a call on a timer, then the caller talks for the handle time once an agent is connected', async () => {
    const { clock, trunk, of } = setup();
    const id = trunk.dialIn({ to: LINE, from: '+14155551001', patienceMs: 30_000, handleMs: 90_000 });
    expect(of(id)).toEqual([]); // never synchronously
    clock.advance(0);
    expect(of(id)).toEqual([{ type: 'incoming', callId: id, at: 0, from: '+14155551001', to: LINE }]);
    clock.advance(10_000);
    await trunk.answer(id as string);
    await trunk.media.connect(id as string, 'agent-1');
    clock.advance(89_999);
    expect(of(id).map((e) => e.type)).toEqual(['incoming']);
    clock.advance(1);
    expect(of(id).at(-1)).toEqual({ type: 'ended', callId: id, at: 100_000, outcome: 'human', cause: 'caller-hangup' });
    expect(trunk.callsInFlight).toBe(0);
  });

  it('ends an unanswered call no-answer at the caller’s patience, and an answered but unconnected one human', async () => {
    const { clock, trunk, of } = setup();
    const waiting = trunk.dialIn({ to: LINE, patienceMs: 20_000, handleMs: 1 });
    const queued = trunk.dialIn({ to: LINE, patienceMs: 25_000, handleMs: 1 });
    clock.advance(5_000);
    expect(of(waiting)[0]).not.toHaveProperty('from'); // withheld
    await trunk.answer(queued as string);
    await trunk.playMessage(queued as string, 'please-hold');
    clock.advance(30_000);
    expect(of(waiting).at(-1)).toMatchObject({ type: 'ended', at: 20_000, outcome: 'no-answer', cause: 'caller-abandon' });
    expect(of(queued).at(-1)).toMatchObject({ type: 'ended', at: 25_000, outcome: 'human', cause: 'caller-abandon' });
    expect(trunk.messagesPlayed(queued as string)).toEqual(['please-hold']);
    expect(trunk.inboundStats).toMatchObject({ arrivals: 2, offered: 2, answered: 1, abandoned: 2 });
  });

  it('reports nothing after a reject, ends our hang-ups once, and refuses misuse with clear errors', async () => {
    const { clock, trunk, of } = setup();
    const a = trunk.dialIn({ to: LINE, patienceMs: 60_000, handleMs: 60_000 }) as string;
    const b = trunk.dialIn({ to: LINE, patienceMs: 60_000, handleMs: 60_000 }) as string;
    const c = trunk.dialIn({ to: LINE, patienceMs: 60_000, handleMs: 60_000 }) as string;
    clock.advance(1_000);
    await trunk.reject(a, 'busy');
    await trunk.hangup(b);
    await trunk.answer(c);
    await trunk.hangup(c);
    await trunk.hangup(c);
    clock.advance(120_000);
    expect(of(a).map((e) => e.type)).toEqual(['incoming']);
    expect(of(b).at(-1)).toMatchObject({ outcome: 'no-answer', cause: 'hangup' });
    expect(of(c).filter((e) => e.type === 'ended')).toEqual([expect.objectContaining({ outcome: 'human', cause: 'hangup' })]);
    await expect(trunk.answer(a)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const d = trunk.dialIn({ to: LINE, patienceMs: 60_000, handleMs: 60_000 }) as string;
    clock.advance(1);
    await trunk.answer(d);
    await expect(trunk.answer(d)).rejects.toMatchObject({ code: 'E_CONFLICT' });
    await expect(trunk.reject(d, 'busy')).rejects.toMatchObject({ code: 'E_CONFLICT' });
    expect(() => trunk.acceptInbound(['+1415', '4155550100'])).toThrow(/acceptInbound\.numbers\[0\]: expected an E\.164/);
  });

  it('refuses at the network a call to a number not accepted, or with every channel busy', async () => {
    const { clock, trunk, events } = setup(1);
    expect(trunk.dialIn({ to: SERVICE, patienceMs: 1_000, handleMs: 1 })).toBeUndefined();
    expect(trunk.dialIn({ to: LINE, patienceMs: 1_000, handleMs: 1 })).toBeDefined();
    expect(trunk.dialIn({ to: LINE, patienceMs: 1_000, handleMs: 1 })).toBeUndefined();
    await expect(
      trunk.originate({ callId: 'out', campaignId: 'k', to: '+14155559999', callerId: LINE, ringTimeoutMs: 15_000 }),
    ).rejects.toMatchObject({ code: 'E_TRUNK_UNAVAILABLE' });
    trunk.acceptInbound([]);
    clock.advance(5_000);
    expect(trunk.dialIn({ to: LINE, patienceMs: 1_000, handleMs: 1 })).toBeUndefined();
    expect(events.filter((e) => e.type === 'incoming')).toHaveLength(1);
    expect(trunk.inboundStats).toMatchObject({ arrivals: 4, refusedNumber: 2, refusedBusy: 1, offered: 1 });
  });
});

describe('trunk-sim inbound: options', () => {
  const create = (options: unknown) => () =>
    createSimTrunk({ clock: new VirtualClock(0), random: seededRandom(1), model: noOutbound, inbound: options as SimInboundOptions });

  it.each([
    [{ patience: { kind: 'exponential', meanMs: -5 } }, /createSimTrunk\.inbound\.patience/],
    [{ handleTime: { kind: 'gamma', meanMs: 5 } }, /createSimTrunk\.inbound\.handleTime/],
    [{ profile: { dayStartMs: 0, intervalMs: HALF_HOUR, ratesPerHour: [10, -1] } }, /createSimTrunk\.inbound\.profile\.ratesPerHour\[1\]/],
    [{ profile: { dayStartMs: 0, intervalMs: HALF_HOUR, ratesPerHour: Array(49).fill(1) } }, /ratesPerHour: 49 intervals/],
    [{ profile: { dayStartMs: 0, intervalMs: HALF_HOUR, ratesPerHour: [Number.NaN] } }, /ratesPerHour\[0\]/],
    [{ spikes: [{ startMs: 10, endMs: 5, multiplier: 1.5 }] }, /spikes\[0\]\.endMs: must be after startMs/],
    [{ callers: { knownShare: 0.5 } }, /callers\.known: knownShare is above 0/],
    [{ callers: { known: ['+14155551001'], knownShare: 0.8, withheldShare: 0.4 } }, /withheldShare: knownShare \+ withheldShare/],
    [{ callers: { known: ['0044 20 7946'] } }, /callers\.known\[0\]/],
    [{ calledNumbers: [{ number: LINE, weight: 0 }] }, /calledNumbers\[0\]\.weight/],
    [{ extra: 1 }, /createSimTrunk\.inbound/],
  ])('refuses %j with E_INVALID_CONFIG naming the field', (bad, message) => {
    const error = (() => {
      try {
        create({ ...inbound(), ...bad })();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PacelineError);
    expect((error as PacelineError).code).toBe('E_INVALID_CONFIG');
    expect((error as PacelineError).message).toMatch(message);
  });

  it('does not mutate the caller’s options', () => {
    const options = inbound({ callers: { known: ['+14155551001'], knownShare: 0.2 } });
    const copy = structuredClone(options);
    create(options)();
    expect(options).toEqual(copy);
  });
});

describe('trunk-sim inbound: arrivals (property tests)', () => {
  const profileArb = fc
    .record({
      intervalMin: fc.constantFrom(15, 30, 60),
      rates: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 })), { minLength: 1, maxLength: 24 }),
      offsetMs: fc.integer({ min: -DAY, max: DAY }),
    })
    .map(({ intervalMin, rates, offsetMs }) => ({ dayStartMs: T0 + offsetMs, intervalMs: intervalMin * 60_000, ratesPerHour: rates }));

  it('never has an arrival where the rate is 0, and each interval’s count is within 5 σ of its Poisson mean', () => {
    fc.assert(
      fc.property(profileArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (profile, seed) => {
        const random = seededRandom(seed);
        const spikes: ArrivalSpike[] = [];
        const days = 3;
        const end = T0 + days * DAY;
        const counts = new Map<number, number>();
        for (let at = nextArrival(profile, spikes, T0, random); at < end; at = nextArrival(profile, spikes, at, random)) {
          expect(rateAt(profile, spikes, at)).toBeGreaterThan(0);
          const slot = Math.floor(((((at - profile.dayStartMs) % DAY) + DAY) % DAY) / profile.intervalMs);
          counts.set(slot, (counts.get(slot) ?? 0) + 1);
        }
        for (const [slot, rate] of profile.ratesPerHour.entries()) {
          const mean = (rate * profile.intervalMs * days) / 3_600_000;
          const count = counts.get(slot) ?? 0;
          if (mean === 0) expect(count).toBe(0);
          else expect(Math.abs(count - mean)).toBeLessThanOrEqual(5 * Math.sqrt(mean) + 1);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('multiplies the rate inside a spike window (+50% for an hour): counts match the integrated rate', () => {
    const profile: ArrivalProfile = { dayStartMs: T0, intervalMs: HALF_HOUR, ratesPerHour: Array<number>(48).fill(400) };
    const spikes: ArrivalSpike[] = [{ startMs: T0 + 10 * 3_600_000, endMs: T0 + 11 * 3_600_000, multiplier: 1.5 }];
    const random = seededRandom(7);
    let inSpike = 0;
    let hourBefore = 0;
    for (let day = 0; day < 40; day++) {
      const spikeDay = spikes.map((s) => ({ ...s, startMs: s.startMs + day * DAY, endMs: s.endMs + day * DAY }));
      const from = T0 + day * DAY + 9 * 3_600_000;
      for (
        let at = nextArrival(profile, spikeDay, from, random);
        at < from + 2 * 3_600_000;
        at = nextArrival(profile, spikeDay, at, random)
      ) {
        if (at >= from + 3_600_000) inSpike++;
        else hourBefore++;
      }
    }
    expect(expectedArrivals(profile, spikes, T0 + 10 * 3_600_000, T0 + 11 * 3_600_000)).toBeCloseTo(600, 6);
    expect(Math.abs(inSpike - 40 * 600)).toBeLessThan(5 * Math.sqrt(40 * 600));
    expect(Math.abs(hourBefore - 40 * 400)).toBeLessThan(5 * Math.sqrt(40 * 400));
  });

  it('replays a seeded day exactly, and what the engine does never moves an arrival or changes a caller', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const options = inbound({ profile: dayProfile(60) });
        const idle = recorded(seed, options);
        const again = recorded(seed, options);
        const busy = recorded(seed, options, (trunk, e) => {
          // Both take effect at once (the clock runs synchronously here); the agent talks for the caller's handle time.
          if (e.type === 'incoming') {
            void trunk.answer(e.callId);
            void trunk.media.connect(e.callId, 'a');
          }
        });
        for (const run of [idle, again, busy]) run.clock.advance(DAY);
        expect(again.events).toEqual(idle.events);
        const offers = (events: TrunkEvent[]) => events.filter((e) => e.type === 'incoming');
        expect(offers(busy.events)).toEqual(offers(idle.events));
        expect(offers(idle.events).length).toBeGreaterThan(200);
      }),
      { numRuns: 8 },
    );
  });

  it('draws callers from the mix: known numbers, withheld and unknown in their shares; patience as configured', () => {
    const run = recorded(11, inbound({ profile: { dayStartMs: T0, intervalMs: DAY, ratesPerHour: [400] } }));
    run.clock.advance(DAY);
    const offers = run.events.filter((e): e is Extract<TrunkEvent, { type: 'incoming' }> => e.type === 'incoming');
    const n = offers.length;
    expect(Math.abs(n - 24 * 400)).toBeLessThan(5 * Math.sqrt(24 * 400));
    const known = offers.filter((e) => e.from === '+14155551001' || e.from === '+14155551002').length / n;
    const withheld = offers.filter((e) => e.from === undefined).length / n;
    expect(known).toBeCloseTo(0.3, 1);
    expect(withheld).toBeCloseTo(0.1, 1);
    for (const e of offers) {
      expect([LINE, SERVICE]).toContain(e.to);
      if (e.from !== undefined) expect(e.from).toMatch(/^\+[1-9]\d{6,14}$/);
    }
    // Nobody answers: every caller hangs up after their patience, exponential with mean 60 s.
    const endedAt = new Map(run.events.filter((e) => e.type === 'ended').map((e) => [e.callId, e.at]));
    const waited = offers.map((o) => (endedAt.get(o.callId) ?? Number.NaN) - o.at);
    const ended = waited.filter((w) => Number.isFinite(w));
    expect(ended.length).toBeGreaterThan(n - 50); // the last minute's callers may still wait
    const mean = ended.reduce((a, b) => a + b, 0) / ended.length;
    expect(Math.abs(mean - 60_000)).toBeLessThan(5 * (60_000 / Math.sqrt(ended.length)));
  });
});
