import { afterAll, beforeAll, describe, it } from 'vitest';

/** What `describeWithProcess` needs to know about one kind of server process. */
export interface ProcessKind<T extends { stop(): Promise<void> }> {
  /** Whether the binaries are installed. */
  readonly available: () => boolean;
  /** Said when they are not: what is missing and how to install it. */
  readonly missing: string;
  /** The failing test's name under `CI=true`, e.g. "needs redis-server". */
  readonly needs: string;
  /** Starts one process for the block. */
  readonly start: () => Promise<T>;
  /** `beforeAll`'s timeout in ms (vitest's default when absent). */
  readonly startTimeoutMs?: number;
  /** Said when a test reads the process before `beforeAll` started it. */
  readonly notStarted: string;
}

/**
 * A `describe` block with one process shared by its tests (started in `beforeAll`, stopped in
 * `afterAll`). Without the binaries: skipped with a message locally, but a failing test under
 * `CI=true`, so CI never passes by skipping.
 */
export function describeWithProcess<T extends { stop(): Promise<void> }>(
  name: string,
  kind: ProcessKind<T>,
  body: (get: () => T) => void,
): void {
  if (!kind.available()) {
    const message = `${kind.missing} to run "${name}"`;
    if (process.env.CI === 'true') {
      describe(name, () => {
        it(kind.needs, () => {
          throw new Error(message);
        });
      });
    } else {
      console.warn(`skipped: ${message}`);
      describe.skip(name, () => body(() => unavailable(message)));
    }
    return;
  }
  describe(name, () => {
    let running: T | undefined;
    beforeAll(async () => {
      running = await kind.start();
    }, kind.startTimeoutMs);
    afterAll(async () => {
      await running?.stop();
    });
    body(() => running ?? unavailable(kind.notStarted));
  });
}

function unavailable(message: string): never {
  throw new Error(message);
}
