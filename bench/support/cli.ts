// The bench CLIs' argument parser: node:util parseArgs in strict mode (unknown flags and
// stray positionals are errors), `--help` printing usage, and the small helpers every bench
// shares (a relative path read from where the user typed the command, whole-number options).
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** One option of a bench command. */
export interface CliOption {
  readonly type: 'string' | 'boolean';
  /** One line for `--help`. */
  readonly description: string;
  /** Shown in `--help` after the flag (`--seeds N`). */
  readonly valueName?: string;
  readonly short?: string;
  /** May be given more than once (values collected in order). */
  readonly multiple?: boolean;
}

/** A bench command: its name (`bench:pacing`), what it does, and its options. */
export interface CliSpec {
  readonly command: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, CliOption>>;
  /** Extra lines after the options (examples). */
  readonly examples?: readonly string[];
}

/** The parsed flags (string, boolean or, for `multiple`, a list) by option name. */
export type CliValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** A command-line mistake: printed with a pointer to `--help`, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The usage text of `spec`. */
export function usage(spec: CliSpec): string {
  const flags = Object.entries({ ...spec.options, help: { type: 'boolean', description: 'print this help and run nothing' } as CliOption });
  const left = flags.map(
    ([name, o]) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  const lines = [`Usage: pnpm ${spec.command} [options]`, '', spec.summary, '', 'Options:'];
  flags.forEach(([, o], i) => {
    lines.push(`  ${(left[i] as string).padEnd(width)}  ${o.description}`);
  });
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Parse `argv` against `spec` (strict: an unknown flag, a missing value or a positional is a
 * {@link CliError}). Returns `undefined` after printing usage when `--help` is given, so the
 * caller runs nothing.
 */
export function parseCli(spec: CliSpec, argv: readonly string[] = process.argv.slice(2)): CliValues | undefined {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let values: CliValues;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as CliValues;
  } catch (error) {
    throw new CliError(
      `${(error as Error).message.replace(/\. To specify.*$/s, '')}\nRun \`pnpm ${spec.command} --help\` for the options.`,
    );
  }
  if (values.help === true) {
    process.stdout.write(usage(spec));
    return undefined;
  }
  return values;
}

/** A string option's value, or undefined. */
export function stringOption(values: CliValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A whole-number option (≥ `min`), `fallback` when absent; a CliError names the flag otherwise. */
export function integerOption(values: CliValues, name: string, fallback: number, min = 0): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name}: expected a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

/**
 * A path the user typed, made absolute against the directory they ran the command from
 * (`pnpm` runs scripts from the workspace root and passes the caller's directory as INIT_CWD).
 */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/**
 * Run a bench's `main` with the CLI's error handling: a CliError prints its message and exits
 * 2; anything else prints the error and exits 1.
 */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof CliError) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
}

/**
 * The 95% interval of a mean over independent runs: mean ± t(0.975, n−1) · s/√n. Half-width
 * 0 for fewer than 2 runs.
 */
export function meanInterval(values: readonly number[]): { mean: number; halfWidth: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, halfWidth: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, halfWidth: 0 };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, halfWidth: studentT975(n - 1) * Math.sqrt(variance / n) };
}

// Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom; 1.96 beyond.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
function studentT975(df: number): number {
  return T975[df - 1] ?? 1.96;
}
