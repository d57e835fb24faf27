import { isPacelineError } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import {
  AcceptanceModel,
  advanceScript,
  applyProfileUpdates,
  currentProfile,
  eligibleOffers,
  rankOffers,
  type ScriptRun,
  scriptPrompt,
  startScript,
} from '../src/index';
import { catalog, errorOf, profile, saveDesk } from './fixtures';

function start(overrides: Record<string, unknown> = {}, agentName?: string): ScriptRun {
  const p = profile(overrides);
  const offers = rankOffers(eligibleOffers(catalog().offers, p, { ignoreReasons: true }), {
    model: new AcceptanceModel(),
    segment: 'gold/cancelling',
  });
  return startScript(saveDesk(), { profile: p, offers, ...(agentName ? { agentName } : {}) });
}

describe('script runner', () => {
  it('renders the greeting with profile variables and fallbacks', () => {
    expect(scriptPrompt(start())).toEqual({
      kind: 'say',
      stepId: 'greet',
      text: 'Hello Ana, I am your advisor. Thank you for 40 months with us.',
    });
    expect(scriptPrompt(start({}, 'Sam')).kind === 'say' && scriptPrompt(start({}, 'Sam'))).toMatchObject({
      text: expect.stringContaining('I am Sam.'),
    });
  });

  it('walks a save: answer → branch → the best offer for the heard reason → capture → end', () => {
    let run = advanceScript(start({ cancellationReason: undefined }), { kind: 'continue' });
    run = advanceScript(run, { kind: 'answer', value: 'price' });
    const offer = scriptPrompt(run);
    // Same prior everywhere, so expected value follows margin: discount-20 (20,000) before loyalty-upgrade (15,000).
    expect(offer).toMatchObject({ kind: 'offer', stepId: 'save', offer: { offer: { id: 'discount-20' } } });
    expect(offer.kind === 'offer' && offer.text).toBe('Since you mentioned price: 20% off for a year. Same plan, less.');

    run = advanceScript(run, { kind: 'offer-response', accepted: false });
    expect(scriptPrompt(run)).toMatchObject({ kind: 'offer', offer: { offer: { id: 'loyalty-upgrade' } } });
    run = advanceScript(run, { kind: 'offer-response', accepted: true });
    run = advanceScript(run, { kind: 'capture', values: { 'profile.email': 'ana@example.com', 'profile.attributes.newsletter': true } });

    expect(run.status).toBe('ended');
    expect(scriptPrompt(run)).toEqual({ kind: 'end', stepId: 'saved', text: 'Glad you are staying, Ana!', disposition: 'SAVED' });
    expect(run.path).toEqual(['greet', 'reason', 'route', 'save', 'save', 'email', 'saved']);
    expect(run.offerResponses.map((r) => [r.offerId, r.accepted, r.segment])).toEqual([
      ['discount-20', false, 'gold/cancelling'],
      ['loyalty-upgrade', true, 'gold/cancelling'],
    ]);
  });

  it('captures profile updates without touching the loaded profile', () => {
    let run = advanceScript(start(), { kind: 'continue' });
    run = advanceScript(run, { kind: 'answer', value: 'coverage' });
    run = advanceScript(run, { kind: 'offer-response', accepted: true });
    run = advanceScript(run, { kind: 'capture', values: { 'profile.email': 'ana@example.com' } });
    expect(run.captured).toEqual({ cancellationReason: 'coverage', email: 'ana@example.com' });
    expect(run.profile.email).toBeUndefined();
    expect(currentProfile(run)).toMatchObject({ email: 'ana@example.com', cancellationReason: 'coverage', firstName: 'Ana' });
    expect(applyProfileUpdates(run.profile, { 'attributes.storeId': 'S-12' }).attributes).toEqual({ storeId: 'S-12' });
  });

  it('branches on an answer and transfers when no offer is left', () => {
    let run = advanceScript(start(), { kind: 'continue' });
    expect(advanceScript(run, { kind: 'answer', value: 'moving' })).toMatchObject({ status: 'ended', stepId: 'bye' });
    run = advanceScript(run, { kind: 'answer', value: 'coverage' });
    run = advanceScript(run, { kind: 'offer-response', accepted: false });
    run = advanceScript(run, { kind: 'offer-response', accepted: false });
    expect(run.status).toBe('transferred');
    expect(scriptPrompt(run)).toMatchObject({ kind: 'transfer', skills: ['retention-specialists'], escalate: true });
  });

  it('refuses an answer of the wrong type or a missing required capture, leaving the run as it was', () => {
    const run = advanceScript(start(), { kind: 'continue' });
    const error = errorOf(() => advanceScript(run, { kind: 'answer', value: 'bored' }));
    expect(isPacelineError(error, 'E_INVALID_INPUT')).toBe(true);
    expect(error.message).toBe('script save-desk, step "reason": expected one of "price", "coverage", "moving", got "bored"');
    expect(run.stepId).toBe('reason');
    let saved = advanceScript(run, { kind: 'answer', value: 'price' });
    saved = advanceScript(saved, { kind: 'offer-response', accepted: true });
    expect(errorOf(() => advanceScript(saved, { kind: 'capture', values: {} })).message).toContain('profile.email (Email) is required');
    expect(
      errorOf(() => advanceScript(saved, { kind: 'capture', values: { 'profile.email': 'a@b.c', 'profile.phone': 'x' } })).message,
    ).toContain('unknown field(s) profile.phone');
  });
});
