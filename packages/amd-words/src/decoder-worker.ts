import { Worker } from 'node:worker_threads';
import { PacelineError } from '@paceline/core';
import type { DecoderMethod, DecoderMethods, DecoderSettings, FromWorker, SerialisedFailure, ToWorker } from './worker-protocol';

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: PacelineError) => void;
}

/** A worker failure as the host sees it: a `PacelineError` with the worker's stable code. */
function fromFailure(failure: SerialisedFailure): PacelineError {
  return new PacelineError(failure.code, `amdWords: ${failure.message}`, { ...failure.detail, where: 'transcription worker' });
}

/**
 * The host's side of one transcription worker thread: starts it, sends it requests and settles
 * each request's promise from the worker's reply. When the thread dies — an uncaught error, an
 * out-of-memory abort, an exit — every request still waiting is rejected with `E_INTERNAL`, the
 * `onCrash` listener hears it once, and {@link ended} says why; the owner starts a new one. The
 * thread is unref'd while idle, so a host that forgets `close()` can still exit.
 *
 * ```
 * starting --ready--> running --close()--> closed
 *     \                  |  \
 *      \--failed/exit-->  |   \--terminate()--> ended (timed out)
 *                         \--error/exit--> ended (crashed)
 * ```
 */
export class DecoderWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  #ended: PacelineError | undefined;
  #closing = false;

  private constructor(worker: Worker, exited: Promise<void>) {
    this.#worker = worker;
    this.#exited = exited;
  }

  /**
   * Start the worker script `file` with `settings` and wait until it has loaded the model.
   * Rejects with the worker's own error (e.g. `E_INVALID_CONFIG` for a missing runtime) or
   * `E_INTERNAL` when the thread dies while loading.
   */
  static start(file: string, settings: DecoderSettings, onCrash: (error: PacelineError) => void): Promise<DecoderWorker> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(file, { workerData: settings });
      } catch (error) {
        reject(new PacelineError('E_INTERNAL', `amdWords: could not start the transcription worker ${file}: ${String(error)}`, { file }));
        return;
      }
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      const link = new DecoderWorker(worker, exited);
      let ready = false;
      const fail = (error: PacelineError) => {
        if (link.#ended) return;
        link.#ended = error;
        for (const pending of link.#pending.values()) pending.reject(error);
        link.#pending.clear();
        if (!ready) reject(error);
        else if (!link.#closing) {
          try {
            onCrash(error);
          } catch {
            // a listener's error never reaches the worker's event callbacks
          }
        }
      };
      worker.on('message', (message: FromWorker) => {
        if (message.kind === 'ready') {
          ready = true;
          worker.unref();
          resolve(link);
        } else if (message.kind === 'failed' && message.id === undefined) {
          fail(fromFailure(message.failure));
        } else {
          link.#settle(message);
        }
      });
      worker.on('error', (error) => {
        fail(
          new PacelineError(
            'E_INTERNAL',
            `amdWords: the transcription worker crashed (${error.message}); the next transcription starts a new one`,
            { error: error.stack ?? error.message, where: 'transcription worker' },
          ),
        );
      });
      worker.on('messageerror', (error) => {
        fail(new PacelineError('E_INTERNAL', `amdWords: a message from the transcription worker could not be read (${error.message})`, {}));
        void worker.terminate();
      });
      worker.on('exit', (code) => {
        fail(
          link.#closing
            ? new PacelineError('E_CLOSED', 'amdWords: the transcriber is closed', {})
            : new PacelineError(
                'E_INTERNAL',
                `amdWords: the transcription worker exited unexpectedly (exit code ${code}); the next transcription starts a new one`,
                { exitCode: code, where: 'transcription worker' },
              ),
        );
      });
    });
  }

  /** Why the worker is gone, once it is (then every call rejects with it). */
  get ended(): PacelineError | undefined {
    return this.#ended;
  }

  /** Send one request; `transfer` lists buffers handed to the worker (they become unusable here). */
  call<M extends DecoderMethod>(
    method: M,
    params: DecoderMethods[M]['params'],
    transfer: readonly ArrayBuffer[] = [],
  ): Promise<DecoderMethods[M]['result']> {
    if (this.#ended) return Promise.reject(this.#ended);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.#worker.ref();
      const message: ToWorker = { kind: 'call', id, method, params };
      this.#worker.postMessage(message, [...transfer]);
    });
  }

  /**
   * End the thread now, whatever it is doing (a request that hangs): every request still waiting
   * is rejected with `reason`, {@link ended} becomes `reason` at once (so the owner starts a new
   * worker), and `onCrash` is not called. Resolves once the thread has exited.
   */
  async terminate(reason: PacelineError): Promise<void> {
    if (this.#ended) return;
    this.#closing = true;
    this.#ended = reason;
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
    await this.#worker.terminate();
    await this.#exited;
  }

  /** Let the worker finish what it was sent, free the model and end the thread. */
  async close(): Promise<void> {
    if (this.#ended) return;
    this.#closing = true;
    this.#worker.ref();
    const message: ToWorker = { kind: 'close' };
    this.#worker.postMessage(message);
    await this.#exited;
  }

  #settle(message: FromWorker): void {
    if (message.kind === 'ready' || message.id === undefined) return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.kind === 'reply') pending.resolve(message.result);
    else pending.reject(fromFailure(message.failure));
  }
}
