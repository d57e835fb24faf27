import type { Logger } from '@paceline/core';
import pino from 'pino';

/**
 * The default logger: pino at `info`, with phone numbers and names redacted wherever they
 * appear in logged objects (STYLE.md: never log a full phone number at info level).
 */
export function defaultLogger(): Logger {
  return pino({
    name: 'paceline',
    level: 'info',
    redact: {
      paths: ['phone', 'to', 'callerId', '*.phone', '*.to', '*.number', '*.phones', 'contact.firstName', 'contact.lastName', '*.contact'],
      censor: '[redacted]',
    },
  }) as unknown as Logger;
}
