/**
 * Stable error codes. A host may switch on these; they never change meaning.
 *
 * Codes a caller is expected to handle (bad input, a rule that refused a dial, a lost
 * lease) are distinguished from programming errors (`E_ILLEGAL_TRANSITION`,
 * `E_INTERNAL`) by {@link isCallerError}.
 */
export const ErrorCodes = [
  'E_INVALID_CAMPAIGN',
  'E_INVALID_CONTACT',
  'E_INVALID_ATTEMPT',
  'E_INVALID_DISPOSITION',
  'E_INVALID_AGENT',
  'E_INVALID_ORDER',
  'E_INVALID_INPUT',
  'E_INVALID_CONFIG',
  'E_NOT_FOUND',
  'E_CONFLICT',
  'E_DNC_BLOCKED',
  'E_OUTSIDE_WINDOW',
  'E_ATTEMPT_CAP',
  'E_REGISTRY_STALE',
  'E_NO_CALLER_ID',
  'E_TRUNK_UNAVAILABLE',
  'E_LEASE_LOST',
  'E_CLOSED',
  'E_HOOK_FAILED',
  'E_ILLEGAL_TRANSITION',
  'E_INTERNAL',
] as const;

/** One of the stable error codes in {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[number];

/** Codes that signal a bug in the calling code rather than a condition to handle. */
const PROGRAMMING_ERRORS: ReadonlySet<ErrorCode> = new Set(['E_ILLEGAL_TRANSITION', 'E_INTERNAL']);

/** One problem found while validating input: where it is and what was expected. */
export interface Issue {
  /** JSON path of the offending value, e.g. `campaign.callingWindow.start`. */
  readonly path: string;
  /** What was wrong and what is expected instead. */
  readonly message: string;
}

/** Structured detail carried in {@link PacelineError.cause}. */
export interface ErrorDetail {
  /** Every problem found, for validation errors. */
  readonly issues?: readonly Issue[];
  /** Any further machine-readable context (ids, states, reason codes). */
  readonly [key: string]: unknown;
}

/**
 * The one error type Paceline throws. `code` is stable, `message` says what was wrong
 * and how to fix it, `cause` carries structured detail.
 */
export class PacelineError extends Error {
  /** Stable, documented code. */
  readonly code: ErrorCode;
  /** Structured detail: validation issues, ids, reason codes. */
  declare readonly cause: ErrorDetail;

  constructor(code: ErrorCode, message: string, detail: ErrorDetail = {}) {
    super(message, { cause: detail });
    this.name = 'PacelineError';
    this.code = code;
  }

  /** The validation issues, or an empty list for non-validation errors. */
  get issues(): readonly Issue[] {
    return this.cause.issues ?? [];
  }
}

/** True when `error` is a {@link PacelineError}, optionally with the given code. */
export function isPacelineError(error: unknown, code?: ErrorCode): error is PacelineError {
  return error instanceof PacelineError && (code === undefined || error.code === code);
}

/** True for errors a caller should handle; false for programming errors and non-Paceline errors. */
export function isCallerError(error: unknown): error is PacelineError {
  return isPacelineError(error) && !PROGRAMMING_ERRORS.has(error.code);
}
