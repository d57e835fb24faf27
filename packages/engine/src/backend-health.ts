import { type Lease, PacelineError, type Store } from '@paceline/core';

/**
 * Whether the shared state (the `Store`, and the `Lease` beside it) answers. Every call made
 * through {@link watchStore} / {@link watchLease} reports here: a failure that is not a
 * `PacelineError` (a refused connection, a closed socket, ioredis giving up on a command)
 * marks the backend unavailable; the next answer marks it available again. The dialer never
 * dials while it is unavailable — pacing needs the hopper claim and the ledgers — and retries
 * its call bookkeeping until it is back.
 */
export class BackendHealth {
  #available = true;
  readonly #onChange: (available: boolean, error?: unknown) => void;

  constructor(onChange: (available: boolean, error?: unknown) => void) {
    this.#onChange = onChange;
  }

  get available(): boolean {
    return this.#available;
  }

  /** Run one backend call and note whether the backend answered. */
  async observe<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.#set(true);
      return result;
    } catch (error) {
      // A PacelineError is an answer (a conflict, a missing record): the backend is up.
      this.#set(error instanceof PacelineError, error);
      throw error;
    }
  }

  #set(available: boolean, error?: unknown): void {
    if (available === this.#available) return;
    this.#available = available;
    this.#onChange(available, error);
  }
}

/** True for a failure of the backend itself (worth retrying), false for an answer such as a conflict. */
export function isBackendFailure(error: unknown): boolean {
  return !(error instanceof PacelineError);
}

const STORE_METHODS = [
  'putCampaign',
  'getCampaign',
  'listCampaigns',
  'addContacts',
  'getContact',
  'updateContact',
  'claimDue',
  'countContacts',
  'listContacts',
  'nextDueAt',
  'putAttempt',
  'getAttempt',
  'listAttempts',
  'listOpenAttempts',
  'recordLiveAnswer',
  'countLiveAnswers',
  'findContactsByPhone', // issue-23 (optional: left out when the store has none)
  'putInboundCall', // issue-23 (optional)
  'listInboundCalls', // issue-23 (optional)
  'addDnc', // dnc-shared
  'findDnc', // dnc-shared
  'listDnc', // dnc-shared
  'addInboundQueueStats', // issue-23 23-dist (optional)
  'listInboundQueueStats', // issue-23 23-dist (optional)
] as const satisfies readonly (keyof Store)[];

const LEASE_METHODS = ['acquire', 'renew', 'release', 'current'] as const satisfies readonly (keyof Lease)[];

// A method added to a port must be added to its list: `watch` does not compile until it is.
type Every<T, Listed extends readonly (keyof T)[]> = Exclude<keyof T, Listed[number]> extends never ? Listed : never;

/** The store, with every call reported to `health`. */
export function watchStore(store: Store, health: BackendHealth): Store {
  return watch<Store>(store, STORE_METHODS satisfies Every<Store, typeof STORE_METHODS>, health);
}

/** The lease, with every call reported to `health`. */
export function watchLease(lease: Lease, health: BackendHealth): Lease {
  return watch<Lease>(lease, LEASE_METHODS satisfies Every<Lease, typeof LEASE_METHODS>, health);
}

function watch<T extends object>(target: T, methods: readonly (keyof T)[], health: BackendHealth): T {
  const watched: Partial<Record<keyof T, unknown>> = {};
  for (const name of methods) {
    const method = target[name] as (...args: unknown[]) => Promise<unknown>;
    if (typeof method !== 'function') continue; // issue-23: an optional method the adapter lacks
    watched[name] = (...args: unknown[]) => health.observe(() => method.apply(target, args));
  }
  return watched as T;
}
