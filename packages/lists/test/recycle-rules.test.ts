import { parseCampaign } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { decideRecycle } from '../src/index';

const T0 = Date.UTC(2026, 6, 1, 15);
const HOUR = 3_600_000;
const campaign = parseCampaign({
  id: 'camp-1',
  name: 'x',
  goal: 'retention',
  dialMode: 'predictive',
  complianceProfile: 'us-federal',
  callerId: '+14155550100',
  homeTimeZone: 'America/Chicago',
  maxAttempts: 5,
  recycle: { NO_DECISION: { retryAfterMs: 4 * HOUR }, 'invalid-number': { retryAfterMs: HOUR } },
});
const noDecision = { code: 'NO_DECISION', dnc: false, final: false, callback: false };

describe('decideRecycle — the one recycler (the engine decides with it)', () => {
  it('retires an invalid number once every number of the contact was tried, and only then', () => {
    expect(decideRecycle(campaign, 1, { outcome: 'invalid-number' }, T0)).toEqual({ kind: 'done', reason: 'invalid number' });
    expect(decideRecycle(campaign, 1, { outcome: 'invalid-number', phones: 2 }, T0)).toMatchObject({ kind: 'retry', dueAt: T0 + HOUR });
    expect(decideRecycle(campaign, 2, { outcome: 'invalid-number', phones: 2 }, T0)).toMatchObject({ kind: 'done' });
  });

  it('gives a disposition without a rule of its own the NO_DECISION rule, an outcome without one the 1 h fallback', () => {
    const saved = { code: 'CALL_ME_LATER_MAYBE', dnc: false, final: false, callback: false };
    expect(decideRecycle(campaign, 1, { outcome: 'human', disposition: saved }, T0)).toEqual({
      kind: 'retry',
      dueAt: T0 + 4 * HOUR,
      rule: 'CALL_ME_LATER_MAYBE',
    });
    expect(decideRecycle(campaign, 1, { outcome: 'human', disposition: noDecision }, T0)).toMatchObject({ dueAt: T0 + 4 * HOUR });
    expect(decideRecycle(campaign, 1, { outcome: 'human' }, T0)).toMatchObject({ kind: 'retry', dueAt: T0 + HOUR });
  });

  it('says why a callback was booked', () => {
    const callback = { code: 'CALLBACK', dnc: false, final: false, callback: true };
    expect(decideRecycle(campaign, 1, { disposition: callback, callbackAt: T0 + HOUR, callbackAgentId: 'a1' }, T0)).toEqual({
      kind: 'callback',
      dueAt: T0 + HOUR,
      agentId: 'a1',
      reason: 'callback requested (CALLBACK)',
    });
  });
});
