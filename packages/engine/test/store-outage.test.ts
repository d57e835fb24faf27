import { ContactState, type Store, seededRandom, VirtualClock } from '@paceline/core';
import { basicOutcomeModel, createSimTrunk } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/index';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0);
const MIN = 60_000;

/** A store that can be taken away: while down, every call fails as a dropped connection would. */
function outageStore(inner: Store): { store: Store; down(): void; up(): void } {
  let away = false;
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (away ? Promise.reject(new Error('Connection is closed.')) : value.apply(target, args));
    },
  });
  return {
    store,
    down: () => {
      away = true;
    },
    up: () => {
      away = false;
    },
  };
}

describe('the store goes away mid-campaign', () => {
  it('dials nothing while it is away, keeps serving live calls, and loses no bookkeeping', async () => {
    const clock = new VirtualClock(START);
    const backing = createMemoryStore();
    const { store, down, up } = outageStore(backing);
    const trunk = createSimTrunk({
      clock,
      random: seededRandom(7),
      model: basicOutcomeModel({
        human: 0.6,
        machine: 0,
        busy: 0.3,
        failed: 0.1,
        invalid: 0,
        answerDelayMeanMs: 4_000,
        failureDelayMeanMs: 2_000,
        analysisMs: 500,
        amdFalseMachine: 0,
        amdFalseHuman: 0,
        patienceMeanMs: 600_000,
      }),
    });
    const dialer = testDialer({
      store,
      trunk,
      clock,
    }).dialer;
    const dials: Array<{ contact: string; attempt: string; at: number }> = [];
    const dispositions = new Map<string, string>();
    const availability: Array<{ available: boolean; at: number }> = [];
    const errors: unknown[] = [];
    dialer.on('dialed', (e) => dials.push({ contact: e.attempt.contactId, attempt: e.attempt.id, at: e.attempt.startedAt }));
    dialer.on('dispositioned', (e) => dispositions.set(e.callId, e.code));
    dialer.on('storeAvailability', (e) => availability.push({ available: e.available, at: e.at }));
    dialer.on('error', (e) => errors.push(e));
    const endedAt: number[] = [];
    const connectedAt: number[] = [];
    dialer.on('ended', (e) => endedAt.push(e.at));
    dialer.on('connected', () => connectedAt.push(clock.now()));
    const ringing = new Set<string>();
    dialer.on('dialed', (e) => ringing.add(e.attempt.id));
    dialer.on('analysed', (e) => ringing.delete(e.callId));
    dialer.on('ended', (e) => ringing.delete(e.callId));
    simulateAgents(dialer, clock, { talkMs: () => 90_000, wrapMs: () => 10_000, disposition: () => ({ code: 'SAVED' }) });

    await dialer.addCampaign(testCampaign('k1', { recycle: { busy: { retryAfterMs: 10 * MIN }, failed: { retryAfterMs: 20 * MIN } } }));
    await dialer.addContacts(
      'k1',
      Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1415555${1000 + i}` }] })),
    );
    for (const id of ['ana', 'bo', 'cy', 'di']) {
      dialer.loginAgent({ id, name: id }, ['k1']);
      dialer.ready(id);
    }
    await dialer.start('k1');

    await driveUntil(clock, START + 3 * MIN);
    // Take the store away while a call is still ringing: its answer comes during the outage.
    while (ringing.size === 0) await driveUntil(clock, clock.now() + 1_000);
    const downAt = clock.now();
    const connectedBefore = dials.length;
    expect(connectedBefore).toBeGreaterThan(0);
    down();
    await driveUntil(clock, START + 8 * MIN);
    const upAt = clock.now();
    up();
    await driveUntil(clock, START + 6 * 60 * MIN);

    // Nothing was dialled while the store was away (the first failing call reports it).
    expect(dials.filter((d) => d.at >= downAt && d.at < upAt)).toEqual([]);
    expect(availability.map((a) => a.available)).toEqual([false, true]);
    expect(availability[0]?.at).toBeGreaterThanOrEqual(downAt);
    expect(availability[0]?.at).toBeLessThan(upAt);
    expect(availability[1]?.at).toBeLessThanOrEqual(upAt + 5_000); // the longest retry delay
    // Calls in flight went on: answers reached agents and calls ended while the store was away.
    const during = (at: number) => at >= downAt && at < upAt;
    expect(connectedAt.filter(during).length).toBeGreaterThan(0);
    expect(endedAt.filter(during).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);

    // The campaign resumed and finished; every call's bookkeeping reached the store.
    expect(dials.some((d) => d.at >= upAt)).toBe(true);
    expect((await backing.getCampaign('k1'))?.state).toBe('completed');
    expect(await backing.listOpenAttempts('k1')).toEqual([]);
    const counts = await backing.countContacts('k1');
    expect(counts.ready + counts.queued + counts.dialing + counts.waiting + counts.callback).toBe(0);
    for (const dial of dials) {
      const attempt = await backing.getAttempt(dial.attempt);
      expect(attempt?.endedAt, dial.attempt).toBeDefined();
      const code = dispositions.get(dial.attempt);
      if (code !== undefined) expect(attempt?.dispositionCode, dial.attempt).toBe(code);
    }
    const live = await backing.countLiveAnswers('k1', 0, Number.MAX_SAFE_INTEGER);
    expect(live.liveAnswers).toBe(dispositions.size + live.abandoned);
    // Each contact's attempt count is the calls that really went out, and none was redialled early.
    for (const record of [...(await backing.listContacts('k1', ContactState.Done))]) {
      const mine = dials.filter((d) => d.contact === record.contact.id);
      expect(record.attempts, record.contact.id).toBe(mine.length);
      for (let i = 1; i < mine.length; i++) expect((mine[i]?.at ?? 0) - (mine[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(10 * MIN);
    }
    await dialer.close();
  });
});
