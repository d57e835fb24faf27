import { type Lease, type LeaseGrant, PacelineError } from '@paceline/core';

/**
 * The embedded `Lease`: in memory, so it only arbitrates between components of one process
 * (one engine embedded alone always wins). Several processes need `store-redis`'s `RedisLease`.
 */
export class MemoryLease implements Lease {
  readonly #grants = new Map<string, LeaseGrant>();
  /** Last token issued per name; kept after release and expiry so tokens only ever grow. */
  readonly #fences = new Map<string, number>();

  async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<number | undefined> {
    checkTtl('acquire', ttlMs);
    const grant = this.#grants.get(name);
    if (grant && grant.expiresAt > now && grant.holder !== holder) return undefined;
    const token = (this.#fences.get(name) ?? 0) + 1;
    this.#fences.set(name, token);
    this.#grants.set(name, Object.freeze({ holder, token, expiresAt: now + ttlMs }));
    return token;
  }

  async renew(name: string, holder: string, token: number, ttlMs: number, now: number): Promise<boolean> {
    checkTtl('renew', ttlMs);
    const grant = this.#grants.get(name);
    if (!grant || grant.holder !== holder || grant.token !== token || grant.expiresAt <= now) return false;
    this.#grants.set(name, Object.freeze({ holder, token, expiresAt: now + ttlMs }));
    return true;
  }

  async release(name: string, holder: string, token: number): Promise<boolean> {
    const grant = this.#grants.get(name);
    if (!grant || grant.holder !== holder || grant.token !== token) return false;
    this.#grants.delete(name);
    return true;
  }

  async current(name: string, now: number): Promise<LeaseGrant | undefined> {
    const grant = this.#grants.get(name);
    return grant && grant.expiresAt > now ? grant : undefined;
  }
}

function checkTtl(operation: string, ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new PacelineError('E_INVALID_INPUT', `Lease.${operation}: ttlMs: expected a positive number of milliseconds, got ${ttlMs}`);
  }
}

/** The embedded default `Lease`. */
export function createMemoryLease(): Lease {
  return new MemoryLease();
}
