/**
 * An error the CLI reports as one line on stderr with a non-zero exit: a bad flag, a bad or
 * missing file, a scenario field that fails validation (its path in the message).
 */
export class CliError extends Error {
  /** Process exit code: 2 for usage errors (flags, arguments), 1 for everything else. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Parse a number flag; `--name: expected …, got "x"` otherwise. */
export function numberFlag(name: string, value: string, options: { min?: number; max?: number; integer?: boolean } = {}): number {
  const n = Number(value);
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false } = options;
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const range = [Number.isFinite(min) ? `≥ ${min}` : '', Number.isFinite(max) ? `≤ ${max}` : ''].filter(Boolean).join(' and ');
    throw new CliError(`--${name}: expected ${integer ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}, got "${value}"`, 2);
  }
  return n;
}
