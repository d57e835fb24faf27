import { PacelineError } from '@paceline/core';
import { evaluateCondition, readPath } from '../condition';
import type { RankedOffer } from '../offers/rank-offers';
import type { CustomerProfile } from '../profile';
import { applyProfileUpdates, type ProfileUpdates } from '../profile-updates';
import { renderTemplate } from '../template';
import { type AnswerValue, answerProblem } from './answer-check';
import type { AnswerSpec, Script, Step, StepOf } from './script-schema';

/** The customer's answer to one presented offer. */
export interface OfferResponse {
  readonly stepId: string;
  readonly offerId: string;
  readonly kind: RankedOffer['offer']['kind'];
  readonly segment: string;
  readonly accepted: boolean;
}

/**
 * One call's walk through a script: an immutable value, so an agent desk, a simulated agent
 * or a test can keep, compare and replay it. `advanceScript` returns the next one.
 */
export interface ScriptRun {
  readonly script: Script;
  /** The profile as loaded (captures are kept apart in `captured`). */
  readonly profile: CustomerProfile;
  /** Ranked offers for this customer, best first. */
  readonly offers: readonly RankedOffer[];
  readonly agentName?: string;
  /** The step shown to the agent; the terminal step once finished. */
  readonly stepId: string;
  readonly status: 'running' | 'ended' | 'transferred';
  readonly answers: Readonly<Record<string, AnswerValue>>;
  /** Profile updates captured so far, keyed by path under `profile.` (`email`, `attributes.x`). */
  readonly captured: ProfileUpdates;
  /** The offer on screen while the current step is an offer step. */
  readonly presented?: RankedOffer;
  readonly offerResponses: readonly OfferResponse[];
  /** Every step entered, in order (branches included). */
  readonly path: readonly string[];
}

/** What the agent did at the current step. */
export type ScriptInput =
  | { readonly kind: 'continue' }
  | { readonly kind: 'answer'; readonly value: AnswerValue }
  | { readonly kind: 'offer-response'; readonly accepted: boolean }
  | { readonly kind: 'capture'; readonly values: Readonly<Record<string, AnswerValue>> };

/** What the agent desk shows for the current step, with its text rendered. */
export type ScriptPrompt =
  | { readonly kind: 'say'; readonly stepId: string; readonly text: string }
  | { readonly kind: 'ask'; readonly stepId: string; readonly text: string; readonly answer: AnswerSpec }
  | { readonly kind: 'offer'; readonly stepId: string; readonly text: string; readonly offer: RankedOffer }
  | {
      readonly kind: 'capture';
      readonly stepId: string;
      readonly text?: string;
      readonly fields: StepOf<'capture'>['fields'];
    }
  | {
      readonly kind: 'transfer';
      readonly stepId: string;
      readonly text?: string;
      readonly skills: readonly string[];
      readonly reason: string;
      readonly escalate: boolean;
      readonly disposition?: string;
    }
  | { readonly kind: 'end'; readonly stepId: string; readonly text?: string; readonly disposition: string };

function stepOf(run: Pick<ScriptRun, 'script'>, id: string): Step {
  const step = run.script.steps.find((s) => s.id === id);
  if (!step) throw new PacelineError('E_INTERNAL', `script ${run.script.id}: no step "${id}" (was the script parsed with parseScript?)`);
  return step;
}

/** The profile with this call's captures applied. */
export function currentProfile(run: ScriptRun): CustomerProfile {
  return Object.keys(run.captured).length === 0 ? run.profile : applyProfileUpdates(run.profile, run.captured);
}

function scope(run: ScriptRun, offer?: RankedOffer): Record<string, unknown> {
  return {
    profile: currentProfile(run),
    answers: run.answers,
    agent: { name: run.agentName },
    ...(offer ? { offer: { name: offer.offer.name, pitch: offer.offer.pitch } } : {}),
  };
}

const ALIASES: Readonly<Record<string, string>> = { firstName: 'profile.firstName', lastName: 'profile.lastName' };

function render(run: ScriptRun, text: string, offer?: RankedOffer): string {
  const values = scope(run, offer);
  return renderTemplate(text, (variable) => readPath(values, ALIASES[variable] ?? variable));
}

function pickOffer(run: ScriptRun, step: StepOf<'offer'>): RankedOffer | undefined {
  const tried = new Set(run.offerResponses.map((r) => r.offerId));
  const heard = readPath(scope(run), step.reasonFrom ?? 'profile.cancellationReason');
  const reason = typeof heard === 'string' ? heard : undefined;
  return run.offers.find(({ offer }) => {
    if (tried.has(offer.id)) return false;
    if (step.category !== 'any' && offer.kind !== step.category) return false;
    return !(offer.kind === 'retention' && offer.reasons && (reason === undefined || !offer.reasons.includes(reason)));
  });
}

/**
 * Enter `id` and run the steps the agent never sees: branches are decided, an offer step
 * with no offer left goes to `onNone`, terminal steps finish the run.
 */
function enter(run: ScriptRun, id: string): ScriptRun {
  let next: ScriptRun = run;
  let target = id;
  // A parsed script always reaches a prompt, but an offer step whose onNone leads back to it
  // could cycle once offers run out; bound the silent moves.
  for (let moves = 0; moves <= run.script.steps.length; moves++) {
    const { presented: _presented, ...rest } = next;
    next = { ...rest, stepId: target, path: [...next.path, target] };
    const step = stepOf(next, target);
    if (step.kind === 'branch') {
      const values = scope(next);
      target = step.cases.find((c) => evaluateCondition(c.when, values))?.next ?? step.otherwise;
      continue;
    }
    if (step.kind === 'offer') {
      const offer = pickOffer(next, step);
      if (offer) return { ...next, presented: offer };
      target = step.onNone ?? step.onDecline;
      continue;
    }
    if (step.kind === 'end') return { ...next, status: 'ended' };
    if (step.kind === 'transfer') return { ...next, status: 'transferred' };
    return next;
  }
  throw new PacelineError('E_INVALID_INPUT', `script ${run.script.id}: steps loop without showing the agent anything (at "${target}")`, {
    path: next.path,
  });
}

/** Start a script for one call: enters `start` (deciding any branches on the profile). */
export function startScript(
  script: Script,
  options: { readonly profile: CustomerProfile; readonly offers?: readonly RankedOffer[]; readonly agentName?: string },
): ScriptRun {
  const run: ScriptRun = {
    script,
    profile: options.profile,
    offers: options.offers ?? [],
    ...(options.agentName === undefined ? {} : { agentName: options.agentName }),
    stepId: script.start,
    status: 'running',
    answers: {},
    captured: {},
    offerResponses: [],
    path: [],
  };
  return enter(run, script.start);
}

/** The current step as the agent sees it, with templates rendered. */
export function scriptPrompt(run: ScriptRun): ScriptPrompt {
  const step = stepOf(run, run.stepId);
  const text = (t: string | undefined) => (t === undefined ? {} : { text: render(run, t, run.presented) });
  switch (step.kind) {
    case 'say':
      return { kind: 'say', stepId: step.id, text: render(run, step.text) };
    case 'ask':
      return { kind: 'ask', stepId: step.id, text: render(run, step.text), answer: step.answer };
    case 'offer':
      if (!run.presented) throw new PacelineError('E_INTERNAL', `script ${run.script.id}: offer step "${step.id}" without an offer`);
      return { kind: 'offer', stepId: step.id, text: render(run, step.text, run.presented), offer: run.presented };
    case 'capture':
      return { kind: 'capture', stepId: step.id, ...text(step.text), fields: step.fields };
    case 'transfer':
      return {
        kind: 'transfer',
        stepId: step.id,
        ...text(step.text),
        skills: step.skills,
        reason: step.reason,
        escalate: step.escalate,
        ...(step.disposition === undefined ? {} : { disposition: step.disposition }),
      };
    case 'end':
      return { kind: 'end', stepId: step.id, ...text(step.text), disposition: step.disposition };
    case 'branch':
      throw new PacelineError('E_INTERNAL', `script ${run.script.id}: a run never rests on branch "${step.id}"`);
  }
}

function refuse(run: ScriptRun, message: string): never {
  throw new PacelineError('E_INVALID_INPUT', `script ${run.script.id}, step "${run.stepId}": ${message}`, { stepId: run.stepId });
}

/**
 * Apply what the agent did at the current step and move on. Returns a new run; throws
 * `E_INVALID_INPUT` (the run unchanged) when the input does not fit the step — a wrong
 * answer type, a missing required capture — so the desk can ask again.
 */
export function advanceScript(run: ScriptRun, input: ScriptInput): ScriptRun {
  if (run.status !== 'running') refuse(run, `the script has ${run.status}; nothing to advance`);
  const step = stepOf(run, run.stepId);
  switch (step.kind) {
    case 'say':
      if (input.kind !== 'continue') refuse(run, `a "say" step takes { kind: "continue" }, got "${input.kind}"`);
      return enter(run, step.next);
    case 'ask': {
      if (input.kind !== 'answer') refuse(run, `an "ask" step takes { kind: "answer", value }, got "${input.kind}"`);
      const problem = answerProblem(step.answer, input.value);
      if (problem) refuse(run, problem);
      const captured = step.captureAs ? { ...run.captured, [step.captureAs.slice('profile.'.length)]: input.value } : run.captured;
      return enter({ ...run, answers: { ...run.answers, [step.id]: input.value }, captured }, step.next);
    }
    case 'offer': {
      if (input.kind !== 'offer-response') refuse(run, `an "offer" step takes { kind: "offer-response", accepted }, got "${input.kind}"`);
      const offer = run.presented;
      if (!offer) return refuse(run, 'no offer is on screen');
      const response: OfferResponse = {
        stepId: step.id,
        offerId: offer.offer.id,
        kind: offer.offer.kind,
        segment: offer.segment,
        accepted: input.accepted,
      };
      return enter({ ...run, offerResponses: [...run.offerResponses, response] }, input.accepted ? step.onAccept : step.onDecline);
    }
    case 'capture': {
      if (input.kind !== 'capture') refuse(run, `a "capture" step takes { kind: "capture", values }, got "${input.kind}"`);
      const known = new Set(step.fields.map((f) => f.field));
      const unknown = Object.keys(input.values).filter((k) => !known.has(k));
      if (unknown.length > 0) refuse(run, `unknown field(s) ${unknown.join(', ')}; this step captures ${[...known].join(', ')}`);
      const updates: Record<string, AnswerValue> = { ...run.captured };
      for (const f of step.fields) {
        const value = Object.hasOwn(input.values, f.field) ? input.values[f.field] : undefined;
        if (value === undefined) {
          if (f.required) refuse(run, `${f.field} (${f.label}) is required`);
          continue;
        }
        const problem = answerProblem(f.answer, value);
        if (problem) refuse(run, `${f.field}: ${problem}`);
        updates[f.field.slice('profile.'.length)] = value;
      }
      return enter({ ...run, captured: updates }, step.next);
    }
    case 'branch':
    case 'end':
    case 'transfer':
      return refuse(run, `a run does not wait on a "${step.kind}" step`);
  }
}
