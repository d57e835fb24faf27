import { type ContactRecord, ContactState, PacelineError, seededRandom, type Trunk, type TrunkEvent, VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, type DialerEvents } from '../src/index';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { MIN, START, testDialer, testNumber } from './support/test-dialer';

const human: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 5_000, analysisAfterMs: 1_000 };

/**
 * A sim trunk with the trunk-sip behaviours the engine must tell apart (docs/trunks.md):
 * `refused` numbers make `originate` reject non-retryably (`E_INVALID_INPUT` or
 * `E_NO_CALLER_ID`, as trunk-sip's validation does); `down` numbers are accepted, then end
 * `failed` with a `trunk-unavailable:` cause the first `downTimes` times they are dialled
 * (the carrier was never reached), and are answered by a person afterwards.
 */
function trunkWithRefusals(
  clock: VirtualClock,
  refused: ReadonlyMap<string, 'E_INVALID_INPUT' | 'E_NO_CALLER_ID'>,
  down: ReadonlySet<string>,
  downTimes = 1,
) {
  const sim = createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel({}, human) });
  const listeners: ((e: TrunkEvent) => void)[] = [];
  const originates: string[] = [];
  const downSeen = new Map<string, number>();
  const trunk: Trunk = {
    originate: async (request) => {
      originates.push(request.to);
      const code = refused.get(request.to);
      if (code) throw new PacelineError(code, `originate.to: ${code} (test)`, { retryable: false });
      const seen = downSeen.get(request.to) ?? 0;
      if (down.has(request.to) && seen < downTimes) {
        downSeen.set(request.to, seen + 1);
        clock.setTimer(1_000, () => {
          for (const l of listeners)
            l({ type: 'ended', callId: request.callId, at: clock.now(), outcome: 'failed', cause: 'trunk-unavailable:timer-b' });
        });
        return;
      }
      return sim.originate(request);
    },
    hangup: (callId) => sim.hangup(callId),
    playMessage: (callId, id) => sim.playMessage(callId, id),
    onEvent: (listener) => {
      listeners.push(listener);
      const off = sim.onEvent(listener);
      return () => {
        off();
        listeners.splice(listeners.indexOf(listener), 1);
      };
    },
    close: () => sim.close(),
  };
  return { trunk, originates, media: sim.media };
}

describe('originate refusals and trunk failures (issue 16, engine side)', () => {
  it('does not retry a non-retryable originate refusal: the number is marked with the reason and never dialled again', async () => {
    const clock = new VirtualClock(START);
    const store = createMemoryStore();
    const refused = new Map([
      [testNumber(0), 'E_INVALID_INPUT' as const],
      [testNumber(1), 'E_NO_CALLER_ID' as const],
    ]);
    const { trunk, originates, media } = trunkWithRefusals(clock, refused, new Set());
    const { dialer } = testDialer({ clock, store, trunk: trunk as never, media });
    const ended: DialerEvents['ended'][0][] = [];
    const errors: DialerEvents['error'][0][] = [];
    dialer.on('ended', (e) => ended.push(e));
    dialer.on('error', (e) => errors.push(e));
    await dialer.addCampaign(testCampaign('k1', { recycle: { failed: { retryAfterMs: MIN, maxAttempts: 10 } } }));
    await dialer.addContacts('k1', [
      { id: 'c0', phones: [{ number: testNumber(0) }] },
      { id: 'c1', phones: [{ number: testNumber(1) }] },
      { id: 'c2', phones: [{ number: testNumber(2) }, { number: testNumber(0) }] },
    ]);
    dialer.loginAgent({ id: 'a0', name: 'A' }, ['k1']);
    dialer.ready('a0');
    await dialer.start('k1');
    await driveUntil(clock, START + 60 * MIN);

    // Each refused number is tried once, whatever the recycle rules allow for failures.
    for (const number of refused.keys()) expect(originates.filter((n) => n === number)).toHaveLength(1);
    for (const id of ['c0', 'c1']) {
      const record = (await store.getContact('k1', id)) as ContactRecord;
      expect(record.state, id).toBe(ContactState.Done);
      const attempts = await store.listAttempts('k1', id);
      expect(attempts, id).toHaveLength(1);
      expect(attempts[0]?.outcome, id).toBe('invalid-number');
      expect(attempts[0]?.endedAt, id).toBeDefined();
    }
    // The host is told, with the trunk's reason, per attempt.
    for (const [i, code] of [
      [0, 'E_INVALID_INPUT'],
      [1, 'E_NO_CALLER_ID'],
    ] as const) {
      const e = ended.find((x) => x.attempt.contactId === `c${i}`);
      expect(e?.outcome).toBe('invalid-number');
      const error = errors.find((x) => x.where === `originate ${e?.callId}`)?.error;
      expect(error).toBeInstanceOf(PacelineError);
      expect((error as PacelineError).code).toBe(code);
    }
    // c2's other number was still dialled; the refused one was not dialled for it after its first refusal.
    expect(originates.filter((n) => n === testNumber(2)).length).toBeGreaterThan(0);
    await dialer.close();
  });

  it('does not charge a trunk failure (`trunk-unavailable:`) as an attempt: the contact is dialled again', async () => {
    const clock = new VirtualClock(START);
    const store = createMemoryStore();
    const down = new Set([testNumber(0)]);
    const { trunk, originates, media } = trunkWithRefusals(clock, new Map(), down, 2);
    const { dialer } = testDialer({ clock, store, trunk: trunk as never, media });
    const ended: DialerEvents['ended'][0][] = [];
    dialer.on('ended', (e) => ended.push(e));
    // One attempt allowed for a failure: charged, the first trunk failure would retire the contact.
    await dialer.addCampaign(testCampaign('k1', { recycle: { failed: { retryAfterMs: MIN, maxAttempts: 1 } } }));
    await dialer.addContacts('k1', [{ id: 'c0', phones: [{ number: testNumber(0) }] }]);
    dialer.loginAgent({ id: 'a0', name: 'A' }, ['k1']);
    dialer.ready('a0');
    dialer.on('connected', (offer) => {
      clock.setTimer(2_000, () => void dialer.hangup(offer.callId).catch(() => {}));
    });
    dialer.on('ended', (e) => {
      if (e.outcome === 'human') clock.setTimer(1_000, () => void dialer.disposition(e.callId, 'SAVED').catch(() => {}));
    });
    await dialer.start('k1');
    await driveUntil(clock, START + 30 * MIN);

    expect(originates.filter((n) => n === testNumber(0))).toHaveLength(3); // two trunk failures, then the real call
    expect(ended.map((e) => e.outcome)).toEqual(['failed', 'failed', 'human']);
    const record = (await store.getContact('k1', 'c0')) as ContactRecord;
    expect(record.attempts).toBe(1); // only the call that reached the carrier counts
    expect(record.state).toBe(ContactState.Done);
    await dialer.close();
  });
});
