import { type LogFn, type Logger, silentLogger } from '../ports/logger';
import { redactLogText, redactLogValue, serializeError } from './log-redaction';

const WRAPPED = Symbol.for('paceline.redacting-logger');

/**
 * `logger` with every line made safe before it gets there: the merge object through
 * {@link redactLogValue} (personal keys at any depth, errors through {@link serializeError}),
 * the message and its interpolation values scrubbed of phone numbers and e-mail, child
 * bindings likewise. The engine wraps whatever logger the host passes, so a host's own pino
 * (with no `redact` set) still never receives a contact's phone, name or address.
 * Wrapping twice is a no-op.
 */
export function redactingLogger(logger: Logger): Logger {
  if (logger === silentLogger || (logger as unknown as Record<symbol, unknown>)[WRAPPED]) return logger;
  // pino's isLevelEnabled: a disabled level costs no redaction work.
  const enabled = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.bind(logger);
  const level =
    (method: LogFn, name: string): LogFn =>
    (first: unknown, ...rest: unknown[]) => {
      if (enabled && !enabled(name)) return;
      const tail = rest.map((arg) => (typeof arg === 'string' ? redactLogText(arg) : redactLogValue(arg)));
      if (typeof first === 'string') return (method as (msg: string, ...args: unknown[]) => void)(redactLogText(first), ...tail);
      const object = first instanceof Error ? { err: serializeError(first) } : (redactLogValue(first) as object);
      return (method as (obj: object, ...args: unknown[]) => void)(object, ...tail);
    };
  const wrapped: Logger = {
    trace: level(logger.trace.bind(logger), 'trace'),
    debug: level(logger.debug.bind(logger), 'debug'),
    info: level(logger.info.bind(logger), 'info'),
    warn: level(logger.warn.bind(logger), 'warn'),
    error: level(logger.error.bind(logger), 'error'),
    fatal: level(logger.fatal.bind(logger), 'fatal'),
    child: (bindings) => redactingLogger(logger.child(redactLogValue(bindings) as Record<string, unknown>)),
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped;
}
