/** A map from event name to its argument tuple, e.g. `{ dialed: [Attempt] }`. */
export type EventMap = { [event: string]: unknown[] };

/** A listener for event `K` of map `E`. */
export type Listener<E extends EventMap, K extends keyof E> = (...args: E[K]) => void;

/** Called when a listener throws; the emitter never rethrows into the dialer. */
export type ListenerErrorHandler = (error: unknown, event: string) => void;

/**
 * A typed event emitter whose listener errors are contained: a throwing listener is
 * reported to `onListenerError` and the remaining listeners still run.
 */
export class TypedEmitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Set<Listener<E, keyof E>>>();
  readonly #onListenerError: ListenerErrorHandler;

  constructor(options: { onListenerError?: ListenerErrorHandler } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Subscribe; returns a function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E, K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<E, keyof E>);
    return () => this.off(event, listener);
  }

  /** Subscribe for the next emission only. */
  once<K extends keyof E>(event: K, listener: Listener<E, K>): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Unsubscribe a listener. */
  off<K extends keyof E>(event: K, listener: Listener<E, K>): void {
    this.#listeners.get(event)?.delete(listener as Listener<E, keyof E>);
  }

  /** Number of listeners for `event`. */
  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Call every listener of `event` in subscription order; errors are contained and reported. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        this.#report(error, String(event));
      }
    }
  }

  #report(error: unknown, event: string): void {
    try {
      this.#onListenerError(error, event);
    } catch {
      // The error handler itself failed; there is nowhere safer to report it.
    }
  }
}
