/** When a trunk's breaker opens and for how long. */
export interface CircuitBreakerOptions {
  /** Consecutive failures (timeouts, 5xx, transport errors) that open the breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker refuses calls before letting one trial call through (half-open). */
  readonly openMs: number;
}

/** Defaults: 3 failures in a row open the breaker for 30 s. */
export const DEFAULT_BREAKER: CircuitBreakerOptions = { failureThreshold: 3, openMs: 30_000 };

/** Where a breaker stands. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A per-trunk circuit breaker, plus the back-off a 503 with Retry-After asks for.
 *
 * ```
 *  closed ──failureThreshold failures──▶ open ──openMs──▶ half-open (one trial call)
 *    ▲                                    ▲                   │ failure
 *    └───────────── trial succeeds ───────┼───────────────────┤
 *                                         └───────────────────┘
 * ```
 *
 * Only a response that shows the trunk works (18x, 2xx, a final response about the number)
 * is a success; a 100 Trying is not. In half-open exactly one call is let through
 * (`tryAcquire`); the others are refused until that trial call reports.
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  #failures = 0;
  #state: BreakerState = 'closed';
  #openUntil = 0;
  #trialInFlight = false;
  #backoffUntil = 0;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  /** The state at `now` (open turns half-open once `openMs` has passed). */
  state(now: number): BreakerState {
    if (this.#state === 'open' && now >= this.#openUntil) this.#state = 'half-open';
    return this.#state;
  }

  /** True if a call may be sent at `now` (without taking the half-open trial slot). */
  allows(now: number): boolean {
    if (now < this.#backoffUntil) return false;
    const state = this.state(now);
    return state === 'closed' || (state === 'half-open' && !this.#trialInFlight);
  }

  /**
   * Take permission to send one call at `now`. Returns `'trial'` when it is the half-open trial
   * (its result must be reported, or {@link releaseTrial} called), `'normal'` when closed, or
   * undefined when refused.
   */
  tryAcquire(now: number): 'normal' | 'trial' | undefined {
    if (!this.allows(now)) return undefined;
    if (this.#state === 'half-open') {
      this.#trialInFlight = true;
      return 'trial';
    }
    return 'normal';
  }

  /** The trial call ended without telling whether the trunk works (we hung up first): let another try. */
  releaseTrial(): void {
    this.#trialInFlight = false;
  }

  /** When the trunk may be tried again (≤ now if it may be tried now). */
  availableAt(): number {
    return Math.max(this.#state === 'open' ? this.#openUntil : 0, this.#backoffUntil);
  }

  /** The trunk handled a call properly (18x, 2xx, or a final response about the number). */
  recordSuccess(): void {
    this.#failures = 0;
    this.#state = 'closed';
    this.#trialInFlight = false;
  }

  /** The trunk failed a call (timeout, 5xx, transport error); opens the breaker at the threshold, or at once when half-open. */
  recordFailure(now: number): void {
    this.#failures++;
    if (this.state(now) === 'half-open' || this.#failures >= this.#options.failureThreshold) {
      this.#state = 'open';
      this.#openUntil = now + this.#options.openMs;
      this.#failures = 0;
      this.#trialInFlight = false;
    }
  }

  /** RFC 3261 21.5.4: the trunk asked us to stay away for `ms` (503 with Retry-After). */
  backOff(now: number, ms: number): void {
    this.#backoffUntil = Math.max(this.#backoffUntil, now + ms);
  }
}
