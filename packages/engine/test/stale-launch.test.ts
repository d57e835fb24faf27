// A launch whose writes waited out a slow or restarting store is not dialled (its decision is
// stale), but its attempt is already in the store: the engine ends it `failed` and marks it
// `dialled: false`, and the contact's count leaves it out — so the ledger says which attempts
// were calls. test/distributed/redis-crash.test.ts hit this under load: Redis SIGKILLed while a
// launch's writes were in flight, answered 1.2–1.4 s later, and the store showed an attempt
// with no dial that looked like a real failed call.
import { type Attempt, ContactState, type Store, seededRandom, VirtualClock } from '@paceline/core';
import { basicOutcomeModel, createSimTrunk } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/index';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil } from './support/drive';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0);

/** A store whose first write of an open attempt answers `delayMs` late (virtual time). */
function slowFirstAttempt(inner: Store, clock: VirtualClock, delayMs: number): Store {
  let slowed = false;
  return new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'putAttempt' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (attempt: Attempt) => {
        await value.call(target, attempt);
        if (!slowed && attempt.endedAt === undefined) {
          slowed = true;
          await new Promise<void>((resolve) => clock.setTimer(delayMs, resolve));
        }
      };
    },
  });
}

describe('a launch the store answered too late', () => {
  it('is not dialled; its attempt is ended failed, marked dialled: false, and not counted against the contact', async () => {
    const clock = new VirtualClock(START);
    const backing = createMemoryStore();
    const trunk = createSimTrunk({
      clock,
      random: seededRandom(3),
      model: basicOutcomeModel({
        human: 1,
        machine: 0,
        busy: 0,
        failed: 0,
        invalid: 0,
        answerDelayMeanMs: 2_000,
        failureDelayMeanMs: 1_000,
        analysisMs: 300,
        amdFalseMachine: 0,
        amdFalseHuman: 0,
        patienceMeanMs: 600_000,
      }),
    });
    const { dialer } = testDialer({ store: slowFirstAttempt(backing, clock, 1_500), trunk, clock });
    const dialled: string[] = [];
    dialer.on('dialed', (e) => dialled.push(e.attempt.id));
    simulateAgents(dialer, clock, { talkMs: () => 10_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SAVED' }) });
    await dialer.addCampaign(testCampaign('k1'));
    await dialer.addContacts('k1', [{ id: 'c0', phones: [{ number: '+14155551000' }] }]);
    dialer.loginAgent({ id: 'ana', name: 'ana' }, ['k1']);
    dialer.ready('ana');
    await dialer.start('k1');
    await driveUntil(clock, START + 10 * 60_000);

    const attempts = await backing.listAttempts('k1', 'c0');
    const [stale, call] = attempts;
    expect(attempts).toHaveLength(2);
    // The stale launch: written, never dialled, and saying so.
    expect(dialled).not.toContain(stale?.id);
    expect(stale).toMatchObject({ dialled: false, outcome: 'failed' });
    expect(stale?.endedAt).toBeDefined();
    // The relaunch: a real call, counted once.
    expect(dialled).toEqual([call?.id]);
    expect(call?.dialled).toBeUndefined();
    expect(call?.dispositionCode).toBe('SAVED');
    const contact = await backing.getContact('k1', 'c0');
    expect(contact?.state).toBe(ContactState.Done);
    expect(contact?.attempts).toBe(attempts.filter((a) => a.dialled !== false).length);
    await dialer.close();
  });
});
