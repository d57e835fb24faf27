import { CampaignState, PacelineError, seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { createDialer, type Dialer } from '../src/index';
import { simulateAgents } from './support/agents';
import { testCampaign } from './support/campaign';
import { driveUntil, settle } from './support/drive';
import { testCompliance, testProgressivePacer } from './support/seams';

const START = Date.UTC(2026, 10, 23, 15, 0);
const HOUR = 3_600_000;
const human: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 4_000, analysisAfterMs: 1_000 };

/** A virtual clock that counts the process holds `whenDone` takes (the system clock's keepAlive). */
function setup() {
  const holds = { open: 0, taken: 0 };
  const clock = Object.assign(new VirtualClock(START), {
    keepAlive: () => {
      holds.open++;
      holds.taken++;
      let released = false;
      return () => {
        if (!released) holds.open--;
        released = true;
      };
    },
  });
  const trunk = createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel({}, human) });
  const dialer = createDialer({
    trunk,
    clock,
    media: trunk.media,
    logger: silentLogger,
    compliance: testCompliance(),
    createPacer: testProgressivePacer,
  });
  return { clock, dialer, holds };
}

async function prepare(dialer: Dialer, contacts: number) {
  await dialer.addCampaign(testCampaign('k1', { maxAttempts: 1 }));
  await dialer.addContacts(
    'k1',
    Array.from({ length: contacts }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1415555${String(2000 + i).padStart(4, '0')}` }] })),
  );
  dialer.loginAgent({ id: 'a1', name: 'Agent 1' }, ['k1']);
  dialer.ready('a1');
}

describe('dialer.run / whenDone', () => {
  it('run() resolves when the list is exhausted, not before, with the final numbers; the process hold is released', async () => {
    const { clock, dialer, holds } = setup();
    await prepare(dialer, 6);
    simulateAgents(dialer, clock, { talkMs: () => 30_000, wrapMs: () => 5_000, disposition: () => ({ code: 'SAVED' }) });
    let outcome: Awaited<ReturnType<Dialer['run']>> | undefined;
    const completedAt: number[] = [];
    dialer.on('campaignStateChanged', (e) => e.to === CampaignState.Completed && completedAt.push(clock.now()));
    const running = dialer.run('k1').then((o) => {
      outcome = o;
      return o;
    });
    await driveUntil(clock, START + 60_000);
    expect(outcome, 'still dialling after a minute').toBeUndefined();
    expect(holds.open).toBe(1);
    await driveUntil(clock, START + 2 * HOUR);
    const done = await running;
    expect(completedAt).toHaveLength(1);
    expect(done.state).toBe(CampaignState.Completed);
    expect(done.status.contacts.done).toBe(6);
    expect(done.status.dials).toBe(6);
    expect(holds).toEqual({ open: 0, taken: 1 });
    // Waiting again on a finished campaign resolves at once.
    await expect(dialer.whenDone('k1')).resolves.toMatchObject({ state: CampaignState.Completed });
    expect(holds.open).toBe(0);
    await dialer.close();
  });

  it('whenDone resolves on stop; an unknown campaign rejects with E_NOT_FOUND and holds nothing', async () => {
    const { dialer, holds } = setup();
    await prepare(dialer, 3);
    await dialer.start('k1');
    const waiting = dialer.whenDone('k1');
    await settle();
    expect(holds.open).toBe(1);
    await dialer.stop('k1');
    await expect(waiting).resolves.toMatchObject({ campaignId: 'k1', state: CampaignState.Stopped });
    const unknown = await dialer.whenDone('nope').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(PacelineError);
    expect((unknown as PacelineError).code).toBe('E_NOT_FOUND');
    expect(holds.open).toBe(0);
    await dialer.close();
  });

  it('close() ends a wait with E_CLOSED and releases the process hold (a script does not hang on a closed dialer)', async () => {
    const { dialer, holds } = setup();
    await prepare(dialer, 3);
    const running = dialer.run('k1');
    await settle();
    expect(holds.open).toBe(1);
    await dialer.close();
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacelineError);
    expect((error as PacelineError).code).toBe('E_CLOSED');
    expect(holds.open).toBe(0);
  });

  it('an abort signal stops the wait (the campaign carries on); a failing start rejects run() and releases the hold', async () => {
    const { dialer, holds } = setup();
    await prepare(dialer, 3);
    const controller = new AbortController();
    const waiting = dialer.run('k1', { signal: controller.signal });
    await settle();
    controller.abort(new Error('host shutting down'));
    await expect(waiting).rejects.toThrow('host shutting down');
    expect((await dialer.status('k1')).state).toBe(CampaignState.Running);
    // Starting a running campaign again is an illegal transition: run() rethrows it.
    await expect(dialer.run('k1')).rejects.toMatchObject({ code: 'E_ILLEGAL_TRANSITION' });
    await settle();
    expect(holds.open).toBe(0);
    await dialer.close();
  });
});
