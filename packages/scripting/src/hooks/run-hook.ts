import { type Clock, PacelineError } from '@paceline/core';
import type { MaybePromise } from './hook-types';

/** Why a hook's own result was not used. */
export type HookFailureReason = 'threw' | 'timeout' | 'invalid-result';

/** A hook that failed: reported (event, log) while the caller carries on with the fallback. */
export interface HookFailure {
  readonly hook: string;
  readonly reason: HookFailureReason;
  /** What went wrong, for people. */
  readonly message: string;
  /** The thrown value, for `threw`. */
  readonly error?: unknown;
  readonly budgetMs: number;
  /** Start → failure, ms on the injected clock. */
  readonly elapsedMs: number;
  /** When the hook was started, epoch ms. */
  readonly startedAt: number;
  /** Ids that locate the call (whatever the caller passed). */
  readonly context: Readonly<Record<string, string>>;
}

/** The hook's value, or the fallback with the failure. Never a rejection. */
export type HookOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly elapsedMs: number }
  | { readonly ok: false; readonly value: T; readonly failure: HookFailure };

/** Options of {@link runHook}. */
export interface RunHookOptions<T> {
  /** The hook's name in failure reports. */
  readonly name: string;
  readonly clock: Clock;
  /** Time the hook may take, ms, measured on `clock`. */
  readonly budgetMs: number;
  /** What the caller uses when the hook fails. */
  readonly fallback: T;
  /** Calls the hook. */
  readonly call: () => MaybePromise<T>;
  /** Why a result is unusable, or `undefined` when it is fine. */
  readonly validate?: (value: T) => string | undefined;
  /** Ids that locate the call, copied into a failure. */
  readonly context?: Readonly<Record<string, string>>;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run one hook under a time budget on the injected clock. Resolves with the hook's value,
 * or with `fallback` and a {@link HookFailure} when it throws (sync or async), returns an
 * invalid result, or has not settled within `budgetMs` (a late result is ignored, a late
 * rejection swallowed). Never rejects: a host's bug cannot reach the dialer.
 */
export function runHook<T>(options: RunHookOptions<T>): Promise<HookOutcome<T>> {
  const { clock, budgetMs, name } = options;
  if (!(budgetMs > 0) || !Number.isFinite(budgetMs)) {
    throw new PacelineError('E_INVALID_CONFIG', `runHook ${name}: budgetMs: expected a positive number of milliseconds, got ${budgetMs}`);
  }
  const startedAt = clock.now();
  return new Promise((resolve) => {
    let settled = false;
    let timer: ReturnType<Clock['setTimer']> | undefined;
    const finish = (outcome: HookOutcome<T>) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clock.clearTimer(timer);
      resolve(outcome);
    };
    const fail = (reason: HookFailureReason, message: string, error?: unknown) =>
      finish({
        ok: false,
        value: options.fallback,
        failure: {
          hook: name,
          reason,
          message: `hook ${name} ${message}; the fallback was used`,
          ...(error === undefined ? {} : { error }),
          budgetMs,
          elapsedMs: clock.now() - startedAt,
          startedAt,
          context: { ...options.context },
        },
      });
    const accept = (value: T) => {
      const elapsedMs = clock.now() - startedAt;
      // A synchronous hook cannot be interrupted; one that blocked past its budget is still late.
      if (elapsedMs > budgetMs) return fail('timeout', `took ${elapsedMs} ms, over its ${budgetMs} ms budget`);
      let problem: string | undefined;
      try {
        problem = options.validate?.(value);
      } catch (error) {
        problem = describeError(error);
      }
      if (problem !== undefined) return fail('invalid-result', `returned an unusable result: ${problem}`);
      finish({ ok: true, value, elapsedMs });
    };
    timer = clock.setTimer(budgetMs, () => fail('timeout', `did not answer within its ${budgetMs} ms budget`));
    let result: MaybePromise<T>;
    try {
      result = options.call();
    } catch (error) {
      fail('threw', `threw: ${describeError(error)}`, error);
      return;
    }
    Promise.resolve(result).then(accept, (error: unknown) => fail('threw', `rejected: ${describeError(error)}`, error));
  });
}
