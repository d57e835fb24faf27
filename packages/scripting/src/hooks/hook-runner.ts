import { type Clock, type Logger, PacelineError, silentLogger, TypedEmitter } from '@paceline/core';
import { Compile } from 'typebox/compile';
import { type Script, ScriptSchema } from '../script/script-schema';
import type {
  AfterCallEvent,
  AnswerEvent,
  BeforeDialContext,
  BeforeDialDecision,
  CallRef,
  ConnectContext,
  ConnectResult,
  DispositionEvent,
  HookName,
  OfferResponseEvent,
  ScriptingHooks,
} from './hook-types';
import { type HookFailure, type HookOutcome, runHook } from './run-hook';

/** A time budget per hook, ms. */
export type HookBudgetsMs = Readonly<Record<HookName, number>>;

/**
 * Default budgets, ms. `onConnect` is short because the agent is already talking to the
 * customer; the rest run off the call's critical path and may take longer.
 */
export const DEFAULT_HOOK_BUDGETS_MS: HookBudgetsMs = {
  beforeDial: 100,
  onConnect: 500,
  onAnswer: 200,
  onOfferResponse: 200,
  onDisposition: 1_000,
  afterCall: 2_000,
};

/** Events of a {@link HookRunner}. Listener errors are contained. */
export type ScriptingEvents = {
  hookFailed: [HookFailure];
};

/** Options of {@link createHookRunner}. */
export interface HookRunnerOptions {
  readonly hooks: ScriptingHooks;
  readonly clock: Clock;
  /** The campaign's fallback script: what the agent gets when `onConnect` fails or is absent. */
  readonly fallbackScript: Script;
  readonly budgetsMs?: Partial<HookBudgetsMs>;
  /** Failures are logged at `warn`; default: silent. */
  readonly logger?: Logger;
}

const checkScript = Compile(ScriptSchema);

function connectProblem(result: ConnectResult): string | undefined {
  if (typeof result !== 'object' || result === null) return 'expected { script, offers }';
  if (!checkScript.Check(result.script)) return 'script: expected a script (parse it once with parseScript)';
  if (!Array.isArray(result.offers)) return 'offers: expected an array of ranked offers';
  return undefined;
}

function dialProblem(decision: BeforeDialDecision): string | undefined {
  if (typeof decision !== 'object' || decision === null) return 'expected { action: "dial" } or { action: "skip", reason }';
  if (decision.action === 'dial') return undefined;
  if (decision.action === 'skip') return typeof decision.reason === 'string' ? undefined : 'skip: expected a reason';
  return `action: expected "dial" or "skip", got ${JSON.stringify((decision as { action?: unknown }).action)}`;
}

const refOf = (r: CallRef): Record<string, string> => ({
  campaignId: r.campaignId,
  callId: r.callId,
  contactId: r.contactId,
  ...(r.agentId === undefined ? {} : { agentId: r.agentId }),
});

/**
 * Runs a host's scripting hooks for the engine: each under its budget on the injected
 * clock, each resolving (never rejecting) to the hook's result or its fallback. A failure is
 * logged and emitted as `hookFailed`. One runner per campaign; nothing is global.
 */
export class HookRunner {
  /** `hookFailed` for every hook that threw, was late or returned something unusable. */
  readonly events: TypedEmitter<ScriptingEvents>;
  readonly #options: HookRunnerOptions;
  readonly #budgets: HookBudgetsMs;
  readonly #logger: Logger;

  constructor(options: HookRunnerOptions) {
    const budgets = { ...DEFAULT_HOOK_BUDGETS_MS, ...options.budgetsMs };
    for (const [name, ms] of Object.entries(budgets)) {
      if (!(ms > 0) || !Number.isFinite(ms)) {
        throw new PacelineError(
          'E_INVALID_CONFIG',
          `createHookRunner: budgetsMs.${name}: expected a positive number of milliseconds, got ${ms}`,
        );
      }
    }
    if (!checkScript.Check(options.fallbackScript)) {
      throw new PacelineError('E_INVALID_CONFIG', 'createHookRunner: fallbackScript: expected a script parsed with parseScript');
    }
    this.#options = options;
    this.#budgets = budgets;
    this.#logger = options.logger ?? silentLogger;
    this.events = new TypedEmitter<ScriptingEvents>({
      onListenerError: (error, event) => this.#logger.error({ err: error, event }, 'scripting event listener failed'),
    });
  }

  /** The time budget of `hook`, ms. */
  budgetMs(hook: HookName): number {
    return this.#budgets[hook];
  }

  /** Dial, skip or re-prioritise a contact. Fallback (and without a hook): `{ action: 'dial' }`. */
  beforeDial(context: BeforeDialContext): Promise<HookOutcome<BeforeDialDecision>> {
    const hook = this.#options.hooks.beforeDial;
    return this.#run('beforeDial', { action: 'dial' }, hook && (() => hook.call(this.#options.hooks, context)), dialProblem, {
      campaignId: context.campaignId,
      contactId: context.contact.id,
    });
  }

  /**
   * The script, profile and ranked offers for a connected call. Fallback (and without a
   * hook): the campaign's fallback script, no profile, no offers.
   */
  onConnect(context: ConnectContext): Promise<HookOutcome<ConnectResult>> {
    const hook = this.#options.hooks.onConnect;
    return this.#run(
      'onConnect',
      { script: this.#options.fallbackScript, offers: [] },
      hook && (() => hook.call(this.#options.hooks, context)),
      connectProblem,
      { campaignId: context.campaignId, callId: context.callId, contactId: context.contact.id, agentId: context.agentId },
    );
  }

  /** Report one script answer. */
  onAnswer(event: AnswerEvent): Promise<HookOutcome<void>> {
    const hook = this.#options.hooks.onAnswer;
    return this.#run('onAnswer', undefined, hook && (() => hook.call(this.#options.hooks, event)), undefined, refOf(event));
  }

  /** Report the customer's answer to an offer. */
  onOfferResponse(event: OfferResponseEvent): Promise<HookOutcome<void>> {
    const hook = this.#options.hooks.onOfferResponse;
    return this.#run('onOfferResponse', undefined, hook && (() => hook.call(this.#options.hooks, event)), undefined, refOf(event));
  }

  /** Report the disposition (with the profile updates captured on the call). */
  onDisposition(event: DispositionEvent): Promise<HookOutcome<void>> {
    const hook = this.#options.hooks.onDisposition;
    return this.#run('onDisposition', undefined, hook && (() => hook.call(this.#options.hooks, event)), undefined, refOf(event));
  }

  /** Report the end of the call's work. */
  afterCall(event: AfterCallEvent): Promise<HookOutcome<void>> {
    const hook = this.#options.hooks.afterCall;
    return this.#run('afterCall', undefined, hook && (() => hook.call(this.#options.hooks, event)), undefined, refOf(event));
  }

  async #run<T>(
    name: HookName,
    fallback: T,
    call: (() => T | Promise<T>) | undefined,
    validate: ((value: T) => string | undefined) | undefined,
    context: Record<string, string>,
  ): Promise<HookOutcome<T>> {
    if (!call) return { ok: true, value: fallback, elapsedMs: 0 };
    const outcome = await runHook<T>({
      name,
      clock: this.#options.clock,
      budgetMs: this.#budgets[name],
      fallback,
      call,
      ...(validate ? { validate } : {}),
      context,
    });
    if (!outcome.ok) {
      this.#logger.warn({ hook: name, reason: outcome.failure.reason, ...context, err: outcome.failure.error }, outcome.failure.message);
      this.events.emit('hookFailed', outcome.failure);
    }
    return outcome;
  }
}

/** Create a {@link HookRunner} for one campaign. Throws `E_INVALID_CONFIG` for a bad budget or fallback script. */
export function createHookRunner(options: HookRunnerOptions): HookRunner {
  return new HookRunner(options);
}
