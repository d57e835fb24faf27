import { type MediaBridge, PacelineError, type Trunk, type TrunkEvent } from '@paceline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Destination numbers the fixture's far end answers in a known way. */
export interface TrunkScenarioNumbers {
  /** A person answers (and call analysis says human). */
  readonly human: string;
  /** An answering machine answers (analysis says machine, or says human and then `revised`). */
  readonly machine: string;
  /**
   * An answering machine the trunk's analysis first takes for a person and revises later (a
   * late beep, a greeting that runs on). Only trunks that can revise supply it.
   */
  readonly revisedMachine?: string;
  readonly busy: string;
  /** Rings until the ring timeout. */
  readonly noAnswer: string;
  readonly invalid: string;
}

/** One caller of the inbound cases: who dials what, how long they wait and talk. */
export interface InboundDial {
  readonly to: string;
  /** The caller's E.164 number; absent: withheld. */
  readonly from?: string;
  /** How long the caller waits unanswered before giving up, ms. */
  readonly patienceMs: number;
  /** How long the caller talks once answered (and, on a trunk with media, connected) before hanging up, ms. */
  readonly talkMs: number;
}

/** What an adapter with inbound calls supplies: a way to make a caller dial in. */
export interface InboundFixture {
  /** A number to pass to `acceptInbound`. */
  readonly accepted: string;
  /** A number not accepted (its calls are refused at the network). */
  readonly other: string;
  /** Start one caller; resolves once it is dialling. */
  readonly dial: (call: InboundDial) => Promise<void>;
}

/** What a trunk adapter's test supplies to run the conformance suite. */
export interface TrunkFixture {
  /** Inbound calls, for adapters that take them: runs the inbound cases. */
  readonly inbound?: InboundFixture;
  readonly trunk: Trunk;
  /** The media side, when the adapter has one; used to connect an agent to a live answer. */
  readonly media?: MediaBridge;
  readonly numbers: TrunkScenarioNumbers;
  readonly callerId: string;
  /** Let `ms` of the trunk's time pass (advance a virtual clock, or sleep on real time). */
  readonly advance: (ms: number) => Promise<void>;
  readonly cleanup?: () => Promise<void>;
}

const RING_TIMEOUT_MS = 15_000;

/**
 * The one `Trunk` conformance suite: trunk-sim and trunk-sip both pass it. It checks the
 * order and content of progress events for each outcome, hang-up from our side, messages,
 * and the errors for misuse.
 */
export function describeTrunkConformance(name: string, makeFixture: () => Promise<TrunkFixture>): void {
  describe(`Trunk conformance: ${name}`, () => {
    let f: TrunkFixture;
    let events: TrunkEvent[];
    let unsubscribe: () => void;
    let n = 0;

    beforeEach(async () => {
      f = await makeFixture();
      events = [];
      unsubscribe = f.trunk.onEvent((event) => events.push(event));
    });
    afterEach(async () => {
      unsubscribe();
      await f.trunk.close();
      await f.cleanup?.();
    });

    const call = async (to: string) => {
      const callId = `conf-${name}-${++n}`;
      await f.trunk.originate({ callId, campaignId: 'conformance', to, callerId: f.callerId, ringTimeoutMs: RING_TIMEOUT_MS });
      return callId;
    };
    const of = (callId: string) => events.filter((e) => e.callId === callId);
    const types = (callId: string) => of(callId).map((e) => e.type);
    const until = async (predicate: () => boolean, maxMs: number, stepMs = 100) => {
      for (let waited = 0; !predicate() && waited <= maxMs; waited += stepMs) await f.advance(stepMs);
      expect(predicate()).toBe(true);
    };

    it('reports a live answer: answered, then analysed human with the greeting end, then ended after our hang-up', async () => {
      const callId = await call(f.numbers.human);
      expect(of(callId)).toEqual([]); // never synchronously from originate
      await until(() => types(callId).includes('analysed'), 10_000);
      const analysed = of(callId).find((e) => e.type === 'analysed');
      expect(analysed).toMatchObject({ result: 'human' });
      if (analysed?.type === 'analysed') expect(analysed.greetingEndedAt).toBeLessThanOrEqual(analysed.at);
      await f.media?.connect(callId, 'agent-1');
      await f.trunk.hangup(callId);
      await until(() => types(callId).includes('ended'), 5_000);
      const sequence = types(callId).filter((t) => t !== 'ringing');
      expect(sequence).toEqual(['answered', 'analysed', 'ended']);
      expect(of(callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'human' });
      const times = of(callId).map((e) => e.at);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    // issue-17: a trunk may connect a machine as a person first and revise it later.
    const machineFound = (callId: string) => {
      const analysed = of(callId).find((e) => e.type === 'analysed');
      return analysed?.type === 'analysed' && (analysed.result === 'machine' || types(callId).includes('revised'));
    };

    it('reports an answering machine as analysed machine, or analysed human followed by revised', async () => {
      const callId = await call(f.numbers.machine);
      await until(() => machineFound(callId), 15_000);
      await f.trunk.hangup(callId);
      await until(() => types(callId).includes('ended'), 5_000);
      expect(of(callId).at(-1)).toMatchObject({ outcome: 'machine' });
      const sequence = types(callId).filter((t) => t !== 'ringing');
      expect([
        ['answered', 'analysed', 'ended'],
        ['answered', 'analysed', 'revised', 'ended'],
      ]).toContainEqual(sequence);
    });

    it('revises a machine first taken for a person: analysed human or unknown, then revised once with a reason, then ended machine', async (ctx) => {
      const number = f.numbers.revisedMachine;
      if (number === undefined) return ctx.skip();
      const callId = await call(number);
      await until(() => types(callId).includes('analysed'), 10_000);
      expect(['human', 'unknown']).toContain((of(callId).find((e) => e.type === 'analysed') as { result: string }).result);
      await f.media?.connect(callId, 'agent-1');
      await until(() => types(callId).includes('revised'), 15_000);
      const revised = of(callId).find((e) => e.type === 'revised');
      expect(['late-beep', 'long-greeting', 'other']).toContain((revised as { reason: string }).reason);
      await f.trunk.hangup(callId);
      await until(() => types(callId).includes('ended'), 5_000);
      expect(types(callId).filter((t) => t !== 'ringing')).toEqual(['answered', 'analysed', 'revised', 'ended']);
      expect(of(callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'machine' });
      const times = of(callId).map((e) => e.at);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    it('never revises a person or a machine already analysed machine', async () => {
      const person = await call(f.numbers.human);
      await until(() => types(person).includes('analysed'), 10_000);
      await f.media?.connect(person, 'agent-1');
      await f.advance(6_000);
      expect(types(person)).not.toContain('revised');
      await f.trunk.hangup(person);
      await until(() => types(person).includes('ended'), 5_000);
      expect(of(person).at(-1)).toMatchObject({ outcome: 'human' });
    });

    it('reports busy without an answer', async () => {
      const callId = await call(f.numbers.busy);
      await until(() => types(callId).includes('ended'), 10_000);
      expect(types(callId)).not.toContain('answered');
      expect(of(callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'busy' });
    });

    it('reports an invalid number', async () => {
      const callId = await call(f.numbers.invalid);
      await until(() => types(callId).includes('ended'), 10_000);
      expect(of(callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'invalid-number' });
    });

    it('gives up with no-answer at the ring timeout, not before', async () => {
      const callId = await call(f.numbers.noAnswer);
      await f.advance(RING_TIMEOUT_MS - 1_000);
      expect(types(callId)).not.toContain('ended');
      await until(() => types(callId).includes('ended'), 5_000);
      expect(types(callId)).not.toContain('answered');
      expect(of(callId).at(-1)).toMatchObject({ outcome: 'no-answer' });
    });

    it('cancels a ringing call when we hang up, and ends it exactly once', async () => {
      const callId = await call(f.numbers.noAnswer);
      await f.advance(2_000);
      await f.trunk.hangup(callId);
      await until(() => types(callId).includes('ended'), 5_000);
      await f.trunk.hangup(callId);
      await f.advance(RING_TIMEOUT_MS);
      expect(types(callId).filter((t) => t === 'ended')).toHaveLength(1);
      expect(types(callId)).not.toContain('answered');
    });

    it('plays a message on an answered call and refuses it on an unknown one', async () => {
      const callId = await call(f.numbers.human);
      await until(() => types(callId).includes('analysed'), 10_000);
      await expect(f.trunk.playMessage(callId, 'safe-harbour')).resolves.toBeUndefined();
      await f.trunk.hangup(callId);
      const error = await f.trunk.playMessage('no-such-call', 'safe-harbour').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PacelineError);
      expect((error as PacelineError).code).toBe('E_NOT_FOUND');
    });

    it('refuses a ring timeout under 15 s and a reused call id', async () => {
      await expect(
        f.trunk.originate({ callId: 'short', campaignId: 'c', to: f.numbers.busy, callerId: f.callerId, ringTimeoutMs: 10_000 }),
      ).rejects.toThrow(/ringTimeoutMs/);
      const callId = await call(f.numbers.busy);
      await expect(
        f.trunk.originate({ callId, campaignId: 'c', to: f.numbers.busy, callerId: f.callerId, ringTimeoutMs: RING_TIMEOUT_MS }),
      ).rejects.toMatchObject({ code: 'E_CONFLICT' });
    });

    describe('inbound calls', () => {
      type Incoming = Extract<TrunkEvent, { type: 'incoming' }>;
      const offers = () => events.filter((e): e is Incoming => e.type === 'incoming');
      const inbound = () => {
        const fixture = f.inbound;
        const trunk = f.trunk;
        if (!fixture || !trunk.acceptInbound || !trunk.answer || !trunk.reject) throw new Error('no inbound fixture');
        trunk.acceptInbound([fixture.accepted]);
        return {
          fixture,
          acceptInbound: trunk.acceptInbound.bind(trunk),
          answer: trunk.answer.bind(trunk),
          reject: trunk.reject.bind(trunk),
        };
      };
      const offered = async (count = 1) => {
        await until(() => offers().length >= count, 8_000);
        return offers()[count - 1] as Incoming;
      };
      const skip = () => !f.inbound;

      it('offers a call to an accepted number with the caller and called number; answered, it ends human at our hang-up', async (ctx) => {
        if (skip()) return ctx.skip();
        const { fixture, answer } = inbound();
        await fixture.dial({ to: fixture.accepted, from: '+14155550199', patienceMs: 20_000, talkMs: 60_000 });
        const offer = await offered();
        expect(offer).toMatchObject({ type: 'incoming', from: '+14155550199', to: fixture.accepted });
        await answer(offer.callId);
        await f.media?.connect(offer.callId, 'agent-1');
        await f.advance(500);
        expect(types(offer.callId)).toEqual(['incoming']);
        await f.trunk.hangup(offer.callId);
        await until(() => types(offer.callId).includes('ended'), 5_000);
        expect(of(offer.callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'human' });
        await f.trunk.hangup(offer.callId);
        expect(types(offer.callId).filter((t) => t === 'ended')).toHaveLength(1);
      });

      it('offers a withheld caller without a number', async (ctx) => {
        if (skip()) return ctx.skip();
        const { fixture, reject } = inbound();
        await fixture.dial({ to: fixture.accepted, patienceMs: 20_000, talkMs: 1_000 });
        const offer = await offered();
        expect(offer).not.toHaveProperty('from');
        await reject(offer.callId, 'busy');
      });

      it('ends an unanswered call no-answer when the caller gives up, not before', async (ctx) => {
        if (skip()) return ctx.skip();
        const { fixture } = inbound();
        await fixture.dial({ to: fixture.accepted, from: '+14155550199', patienceMs: 3_000, talkMs: 1_000 });
        const offer = await offered();
        await f.advance(1_500);
        expect(types(offer.callId)).toEqual(['incoming']);
        await until(() => types(offer.callId).includes('ended'), 6_000);
        expect(of(offer.callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'no-answer' });
        expect((of(offer.callId).at(-1)?.at ?? 0) - offer.at).toBeGreaterThanOrEqual(2_500);
      });

      it('ends an answered call human when the caller hangs up', async (ctx) => {
        if (skip()) return ctx.skip();
        const { fixture, answer } = inbound();
        await fixture.dial({ to: fixture.accepted, from: '+14155550199', patienceMs: 20_000, talkMs: 1_500 });
        const offer = await offered();
        await answer(offer.callId);
        await f.media?.connect(offer.callId, 'agent-1');
        await until(() => types(offer.callId).includes('ended'), 8_000);
        expect(of(offer.callId).at(-1)).toMatchObject({ type: 'ended', outcome: 'human' });
      });

      it('reports nothing after a reject, and refuses to answer a call it does not hold', async (ctx) => {
        if (skip()) return ctx.skip();
        const { fixture, answer, reject } = inbound();
        await fixture.dial({ to: fixture.accepted, from: '+14155550199', patienceMs: 4_000, talkMs: 1_000 });
        const offer = await offered();
        await reject(offer.callId, 'declined');
        await f.advance(5_000);
        expect(types(offer.callId)).toEqual(['incoming']);
        await expect(answer(offer.callId)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        await expect(answer('no-such-call')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('offers nothing for a number it does not take, and refuses a malformed number list', async (ctx) => {
        if (skip()) return ctx.skip();
        const { fixture, acceptInbound } = inbound();
        await fixture.dial({ to: fixture.other, from: '+14155550199', patienceMs: 2_000, talkMs: 1_000 });
        await f.advance(3_000);
        expect(offers()).toEqual([]);
        expect(() => acceptInbound(['4155550100'])).toThrow(/acceptInbound\.numbers\[0\]/);
      });
    });

    it('stops delivering events to an unsubscribed listener', async () => {
      const late: TrunkEvent[] = [];
      const off = f.trunk.onEvent((e) => late.push(e));
      off();
      const callId = await call(f.numbers.busy);
      await until(() => types(callId).includes('ended'), 10_000);
      expect(late).toEqual([]);
    });
  });
}
