import { type Attempt, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import {
  AcceptanceModel,
  type ConnectContext,
  createHookRunner,
  createOnConnect,
  type HookFailure,
  learnFromOfferResponses,
  parseRoutingRules,
  parseScript,
  runHook,
  type ScriptingHooks,
} from '../src/index';
import { catalog, contact, profileInput, saveDesk } from './fixtures';

const fallbackScript = parseScript({
  id: 'fallback',
  name: 'Generic',
  start: 'hello',
  steps: [
    { id: 'hello', kind: 'say', text: 'Hello {{firstName|there}}, this is a courtesy call.', next: 'done' },
    { id: 'done', kind: 'end', disposition: 'NO_DECISION' },
  ],
});

const attempt: Attempt = {
  id: 'n1-1',
  campaignId: 'camp',
  contactId: 'c-1',
  phone: '+14155550123',
  callerId: '+14155550100',
  startedAt: 0,
  abandoned: false,
};
const connect: ConnectContext = { campaignId: 'camp', callId: 'n1-1', agentId: 'a1', contact, attempt };

/** A promise that resolves after `ms` on the virtual clock. */
const after = <T>(clock: VirtualClock, ms: number, value: T) => new Promise<T>((resolve) => clock.setTimer(ms, () => resolve(value)));

function setup(hooks: ScriptingHooks) {
  const clock = new VirtualClock(1_000);
  const runner = createHookRunner({ hooks, clock, fallbackScript, budgetsMs: { onConnect: 300 } });
  const failures: HookFailure[] = [];
  runner.events.on('hookFailed', (f) => failures.push(f));
  return { clock, runner, failures };
}

describe('runHook', () => {
  it('returns the value of a hook within its budget', async () => {
    const clock = new VirtualClock();
    const pending = runHook({ name: 'h', clock, budgetMs: 100, fallback: 0, call: () => after(clock, 40, 7) });
    clock.advance(40);
    expect(await pending).toEqual({ ok: true, value: 7, elapsedMs: 40 });
    expect(clock.pending).toBe(0); // the budget timer was cleared
  });

  it('resolves to the fallback when the budget runs out, and ignores the late answer', async () => {
    const clock = new VirtualClock();
    const pending = runHook({ name: 'slow', clock, budgetMs: 100, fallback: 'fallback', call: () => after(clock, 5_000, 'late') });
    clock.advance(100);
    const outcome = await pending;
    expect(outcome).toMatchObject({
      ok: false,
      value: 'fallback',
      failure: { hook: 'slow', reason: 'timeout', elapsedMs: 100, budgetMs: 100 },
    });
    clock.advance(5_000); // the late result settles into nothing
  });

  it('resolves to the fallback when the hook throws or rejects, never rejecting itself', async () => {
    const clock = new VirtualClock();
    const thrown = await runHook({
      name: 'sync',
      clock,
      budgetMs: 10,
      fallback: 1,
      call: () => {
        throw new Error('db down');
      },
    });
    expect(thrown).toMatchObject({
      ok: false,
      value: 1,
      failure: { reason: 'threw', message: 'hook sync threw: db down; the fallback was used' },
    });
    const rejected = await runHook({ name: 'async', clock, budgetMs: 10, fallback: 1, call: () => Promise.reject(new Error('nope')) });
    expect(rejected).toMatchObject({ ok: false, failure: { reason: 'threw' } });
    expect(!rejected.ok && rejected.failure.error).toBeInstanceOf(Error);
  });

  it('treats a synchronous hook that blocked past its budget as late', async () => {
    // Like a real clock under a busy event loop: time moves, but no timer can fire meanwhile.
    let nowMs = 0;
    const clock = { now: () => nowMs, setTimer: () => ({}), clearTimer: () => {} };
    const outcome = await runHook({
      name: 'busy',
      clock,
      budgetMs: 50,
      fallback: 'f',
      call: () => {
        nowMs += 80;
        return 'v';
      },
    });
    expect(outcome).toMatchObject({ ok: false, value: 'f', failure: { reason: 'timeout', elapsedMs: 80 } });
  });
});

describe('HookRunner', () => {
  it('gives the fallback script when onConnect throws, and reports the failure', async () => {
    const { runner, failures } = setup({
      onConnect: () => {
        throw new Error('CRM unreachable');
      },
    });
    const outcome = await runner.onConnect(connect);
    expect(outcome.ok).toBe(false);
    expect(outcome.value).toEqual({ script: fallbackScript, offers: [] });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      hook: 'onConnect',
      reason: 'threw',
      context: { campaignId: 'camp', callId: 'n1-1', contactId: 'c-1', agentId: 'a1' },
    });
  });

  it('gives the fallback script when onConnect is late: the call goes on at the budget', async () => {
    const { clock, runner, failures } = setup({ onConnect: () => after(clock, 10_000, { script: saveDesk(), offers: [] }) });
    const pending = runner.onConnect(connect);
    clock.advance(300);
    const outcome = await pending;
    expect(outcome.value.script.id).toBe('fallback');
    expect(failures.map((f) => [f.reason, f.elapsedMs])).toEqual([['timeout', 300]]);
  });

  it('refuses an onConnect result that is not a script', async () => {
    const { runner, failures } = setup({ onConnect: () => ({ script: { id: 'x' }, offers: [] }) as never });
    expect((await runner.onConnect(connect)).value.script.id).toBe('fallback');
    expect(failures[0]?.reason).toBe('invalid-result');
  });

  it('beforeDial may skip or re-prioritise; a failure dials as if there were no hook', async () => {
    const ctx = { campaignId: 'camp', contact, attempts: 0, now: 1_000 };
    const skip = setup({ beforeDial: () => ({ action: 'skip', reason: 'paid up', retryAt: 90_000 }) });
    expect((await skip.runner.beforeDial(ctx)).value).toEqual({ action: 'skip', reason: 'paid up', retryAt: 90_000 });
    const broken = setup({ beforeDial: () => ({ action: 'later' }) as never });
    expect(await broken.runner.beforeDial(ctx)).toMatchObject({ ok: false, value: { action: 'dial' } });
    expect((await setup({}).runner.beforeDial(ctx)).value).toEqual({ action: 'dial' });
  });

  it('contains a throwing in-call hook and a throwing hookFailed listener', async () => {
    const { runner, failures } = setup({ afterCall: async () => Promise.reject(new Error('queue full')) });
    runner.events.on('hookFailed', () => {
      throw new Error('listener bug');
    });
    const outcome = await runner.afterCall({ campaignId: 'camp', callId: 'n1-1', contactId: 'c-1', attempt });
    expect(outcome).toMatchObject({ ok: false, value: undefined });
    expect(failures).toHaveLength(1);
  });

  it('refuses a bad budget or fallback script when created', () => {
    const clock = new VirtualClock();
    expect(() => createHookRunner({ hooks: {}, clock, fallbackScript, budgetsMs: { onAnswer: 0 } })).toThrow(/budgetsMs.onAnswer/);
    expect(() => createHookRunner({ hooks: {}, clock, fallbackScript: { id: 'x' } as never })).toThrow(/fallbackScript/);
  });
});

describe('createOnConnect', () => {
  const routing = parseRoutingRules({
    rules: [{ name: 'loyal', when: { field: 'profile.tenureMonths', op: 'gte', value: 36 }, skills: ['retention-specialists'] }],
  });

  it('loads the profile, ranks eligible offers and routes; offer responses teach the model', async () => {
    const model = new AcceptanceModel();
    const onConnect = createOnConnect({ loadProfile: () => profileInput(), script: saveDesk(), catalog: catalog(), model, routing });
    const { runner } = setup({ onConnect, onOfferResponse: learnFromOfferResponses(model) });
    const outcome = await runner.onConnect(connect);
    expect(outcome.ok).toBe(true);
    expect(outcome.value.profile?.customerId).toBe('cust-1');
    // Retention offers keyed by reason stay in (the reason may be heard on the call); the booster has the top margin.
    expect(outcome.value.offers.map((o) => o.offer.id)).toEqual([
      'coverage-booster',
      'discount-20',
      'loyalty-upgrade',
      'home-fibre',
      'mobile-xl',
    ]);
    expect(outcome.value.routing).toEqual({ skills: ['retention-specialists'], matched: ['loyal'] });

    const response = { stepId: 'save', offerId: 'home-fibre', kind: 'cross-sell' as const, segment: 'gold/cancelling', accepted: true };
    await runner.onOfferResponse({ campaignId: 'camp', callId: 'n1-1', contactId: 'c-1', response });
    expect(model.estimate('home-fibre', 'gold/cancelling')).toBeCloseTo(2 / 3, 12);
  });

  it('falls back when the host returns a profile that does not validate', async () => {
    const onConnect = createOnConnect({
      loadProfile: async () => ({ customerId: 'x' }),
      script: saveDesk(),
      catalog: catalog(),
      model: new AcceptanceModel(),
    });
    const { runner, failures } = setup({ onConnect });
    expect((await runner.onConnect(connect)).value.script.id).toBe('fallback');
    expect(failures[0]?.message).toContain('profile.firstName: is required');
  });
});
