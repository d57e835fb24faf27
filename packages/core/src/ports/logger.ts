/** A pino-style log method: `(obj, msg?)` or `(msg)`. */
export interface LogFn {
  (obj: object, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}

/** The subset of pino's logger Paceline uses; a pino logger (or child) satisfies it. */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => {};

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silentLogger,
};

/** Mask all but the last `visible` digits of a phone number for logs: `+1415•••0123`. */
export function maskPhone(phone: string, visible = 4): string {
  if (phone.length <= visible + 4) return '•'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'•'.repeat(phone.length - 4 - visible)}${phone.slice(-visible)}`;
}
