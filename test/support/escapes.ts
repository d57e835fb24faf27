import { afterEach, beforeEach } from 'vitest';

/**
 * What escapes to the host process while each test of the file runs: unhandled rejections and
 * uncaught exceptions (a failure thrown from a timer or socket callback). Call at the top of a test
 * file; the array is emptied before each test. rb9: one helper for pool-away and store-frozen.
 */
export function escapesToProcess(): unknown[] {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  beforeEach(() => {
    escaped.length = 0;
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
  });
  afterEach(() => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
  });
  return escaped;
}
