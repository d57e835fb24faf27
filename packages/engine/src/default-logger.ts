import { type Logger, redactingLogger, serializeError } from '@paceline/core';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';

/** Options of {@link defaultLogger}. */
export interface DefaultLoggerOptions {
  /** Lowest level written; default `info`. */
  readonly level?: LevelWithSilent;
  /** Where lines go; default stdout. */
  readonly destination?: DestinationStream;
}

/**
 * The default logger: pino at `info` (or `level`), one JSON line per call, behind
 * {@link redactingLogger}: phone numbers, names, addresses and e-mail are removed at any depth
 * and from messages, and errors go through core's `serializeError` (a driver error keeps its
 * name, code and command name; its arguments are dropped). STYLE.md: never log a full phone
 * number, at any level.
 */
export function defaultLogger(options: DefaultLoggerOptions = {}): Logger {
  const pinoOptions = {
    name: 'paceline',
    level: options.level ?? 'info',
    // Errors arrive serialized by the wrapper (core's serializeError); pino's own err serializer would re-add what it dropped.
    serializers: { err: serializeError },
  };
  const logger = options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
  return redactingLogger(logger as unknown as Logger);
}
