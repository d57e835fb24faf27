import { isBackendFailure } from './backend-health';
import { RETRY_CAP_MS, RETRY_FIRST_MS } from './engine-constants';
import type { CallRuntime, EngineCore } from './engine-core';

/** Store writes that must land: retried while the store is away, and ordered per call. */
export class DurableWrites {
  constructor(readonly core: EngineCore) {}

  /**
   * Run a store write until the store takes it: a backend failure (connection refused, Redis
   * restarting) is retried with doubling delays up to `RETRY_CAP_MS`; an answer such as a
   * conflict is not. The write must be safe to repeat (the store's writes are: attempts by id,
   * the abandon ledger per attempt, contacts by version, jobs by idempotency key). Gives up
   * only when the dialer is closed.
   */
  async durable<T>(what: string, write: () => Promise<T>): Promise<T> {
    for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_CAP_MS)) {
      try {
        return await write();
      } catch (error) {
        if (!isBackendFailure(error) || this.core.closed) throw error;
        this.core.deps.logger.debug({ err: error, what, retryInMs: delay }, 'store write failed; retrying');
        await new Promise<void>((resolve) => this.core.deps.clock.setTimer(delay, resolve));
      }
    }
  }

  /** Queue a write behind the call's earlier ones, retried until the store takes it; resolves when it is done. */
  persist(call: CallRuntime, what: string, write: () => Promise<unknown>): Promise<void> {
    call.writes = call.writes
      .then(() => this.durable(`${what} ${call.attempt.id}`, write))
      .then(
        () => {},
        (error) => this.core.report(`${what} ${call.attempt.id}`, error),
      );
    return call.writes;
  }
}
