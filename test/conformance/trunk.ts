import { type MediaBridge, PacelineError, type Trunk, type TrunkEvent } from '@paceline/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Destination numbers the fixture's far end answers in a known way. */
export interface TrunkScenarioNumbers {
  /** A person answers (and call analysis says human). */
  readonly human: string;
  /** An answering machine answers (analysis says machine). */
  readonly machine: string;
  readonly busy: string;
  /** Rings until the ring timeout. */
  readonly noAnswer: string;
  readonly invalid: string;
}

/** What a trunk adapter's test supplies to run the conformance suite. */
export interface TrunkFixture {
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

    it('reports an answering machine as analysed machine', async () => {
      const callId = await call(f.numbers.machine);
      await until(() => types(callId).includes('analysed'), 15_000);
      expect(of(callId).find((e) => e.type === 'analysed')).toMatchObject({ result: 'machine' });
      await f.trunk.hangup(callId);
      await until(() => types(callId).includes('ended'), 5_000);
      expect(of(callId).at(-1)).toMatchObject({ outcome: 'machine' });
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
