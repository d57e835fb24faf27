import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Clock, PacelineError } from '@paceline/core';

/**
 * What a dashboard user may do. `viewer`: read only (the page, the live numbers, the API's
 * GET routes). `manager`: also the controls, pacing settings and list uploads — every route
 * that is not a GET, and any GET route marked `config: { dashboardRole: 'manager' }`.
 */
export type DashboardRole = 'viewer' | 'manager';

/** The access tokens of a dashboard, one per role (each at least 16 characters, all distinct). */
export interface DashboardTokens {
  readonly viewer?: string;
  readonly manager?: string;
}

/** One signed-in browser: what it may do, until when, and how many live streams it holds. */
export interface DashboardSession {
  readonly role: DashboardRole;
  readonly expiresAt: number;
  /** A short, non-secret fingerprint of the session id for audit lines (`who`). */
  readonly fingerprint: string;
}

/** A session id: 32 random bytes, base64url (43 characters). */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Who a request is: its role, the session it came with (if any), for audit and stream caps. */
export interface DashboardPrincipal {
  readonly role: DashboardRole;
  /** `session` (cookie) or `bearer` (the Authorization header, for scripts). */
  readonly via: 'session' | 'bearer';
  /** Session fingerprint, or `bearer:<role>`. Never the secret itself. */
  readonly id: string;
}

function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

/**
 * The dashboard's token check and session table. Tokens are compared in constant time; a
 * correct token is exchanged once for a session whose id is 32 bytes from the OS's CSPRNG
 * (`crypto.randomBytes`: a session id must be unguessable, which the seeded `Random` port is
 * not meant to be). Sessions expire after `maxAgeMs` of the injected clock; the table is
 * bounded (`maxSessions`, the oldest session is signed out first). One per mounted dashboard.
 */
export class DashboardSessions {
  readonly #tokens: ReadonlyArray<{ readonly role: DashboardRole; readonly token: Buffer }>;
  readonly #sessions = new Map<string, DashboardSession>();
  readonly #clock: Clock;
  readonly maxAgeMs: number;
  readonly #maxSessions: number;

  constructor(options: { tokens: DashboardTokens; clock: Clock; maxAgeMs: number; maxSessions: number }) {
    const tokens: Array<{ role: DashboardRole; token: Buffer }> = [];
    for (const role of ['viewer', 'manager'] as const) {
      const token = options.tokens[role];
      if (token === undefined) continue;
      if (typeof token !== 'string' || token.length < 16) {
        throw new PacelineError('E_INVALID_CONFIG', `dashboard.tokens.${role}: expected an access token of at least 16 characters`);
      }
      tokens.push({ role, token: Buffer.from(token) });
    }
    if (tokens.length === 0)
      throw new PacelineError('E_INVALID_CONFIG', 'dashboard.token: expected an access token of at least 16 characters');
    if (tokens.length === 2 && tokens[0]?.token.equals(tokens[1]?.token as Buffer)) {
      throw new PacelineError('E_INVALID_CONFIG', 'dashboard.tokens: the viewer and manager tokens must differ');
    }
    if (!(options.maxAgeMs > 0))
      throw new PacelineError('E_INVALID_CONFIG', `dashboard.sessionMaxAgeMs: expected a positive duration, got ${options.maxAgeMs}`);
    this.#tokens = tokens;
    this.#clock = options.clock;
    this.maxAgeMs = options.maxAgeMs;
    this.#maxSessions = options.maxSessions;
  }

  /** The role a token grants, or undefined. Every configured token is compared, in constant time. */
  roleOfToken(given: string | undefined): DashboardRole | undefined {
    if (typeof given !== 'string') return undefined;
    const g = Buffer.from(given);
    let found: DashboardRole | undefined;
    for (const { role, token } of this.#tokens) {
      // timingSafeEqual needs equal lengths; comparing the token with itself keeps the timing flat.
      const same = g.length === token.length ? timingSafeEqual(g, token) : !timingSafeEqual(token, token);
      if (same) found = role;
    }
    return found;
  }

  /** Start a session for `role`; returns its id (the cookie's value). */
  open(role: DashboardRole): string {
    const id = randomBytes(32).toString('base64url');
    if (this.#sessions.size >= this.#maxSessions) this.#sweep();
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) break;
      this.#sessions.delete(oldest.value);
    }
    this.#sessions.set(id, { role, expiresAt: this.#clock.now() + this.maxAgeMs, fingerprint: fingerprint(id) });
    return id;
  }

  /**
   * The live session a cookie value names: `undefined` for no cookie, `'invalid'` for a
   * malformed, unknown or expired one (the request is answered 401, never 500).
   */
  lookup(id: string | undefined): DashboardSession | 'invalid' | undefined {
    if (id === undefined) return undefined;
    if (!SESSION_ID.test(id)) return 'invalid';
    const session = this.#sessions.get(id);
    if (!session) return 'invalid';
    if (session.expiresAt <= this.#clock.now()) {
      this.#sessions.delete(id);
      return 'invalid';
    }
    return session;
  }

  /** Whether the session a stream belongs to is still live (streams end with their session). */
  isLive(id: string): boolean {
    const session = this.#sessions.get(id);
    return session !== undefined && session.expiresAt > this.#clock.now();
  }

  /** Sign a session out. */
  close(id: string): void {
    this.#sessions.delete(id);
  }

  /** Sessions held (live or not yet swept). */
  get size(): number {
    return this.#sessions.size;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
  }
}
