/** When a trunk's breaker opens and for how long. */
export interface CircuitBreakerOptions {
  /** Consecutive failures (timeouts, 5xx, transport errors) that open the breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker refuses calls before letting one through (half-open). */
  readonly openMs: number;
}

/** Defaults: 3 failures in a row open the breaker for 30 s. */
export const DEFAULT_BREAKER: CircuitBreakerOptions = { failureThreshold: 3, openMs: 30_000 };

/**
 * A per-trunk circuit breaker: closed → (failureThreshold failures) → open → (openMs) →
 * half-open, where one success closes it and one failure opens it again. Also holds the
 * back-off a 503/500 with Retry-After asks for.
 *
 * ```
 *  closed ──failures──▶ open ──openMs──▶ half-open ──success──▶ closed
 *                         ▲──────────────failure──────┘
 * ```
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  #failures = 0;
  #openUntil = 0;
  #halfOpen = false;
  #backoffUntil = 0;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  /** True if a call may be sent at `now`. */
  allows(now: number): boolean {
    return now >= this.#openUntil && now >= this.#backoffUntil;
  }

  /** When the trunk may be tried again (≤ now if it may be tried now). */
  availableAt(): number {
    return Math.max(this.#openUntil, this.#backoffUntil);
  }

  /** The trunk answered a call properly (any response but 5xx or a timeout). */
  recordSuccess(): void {
    this.#failures = 0;
    this.#halfOpen = false;
  }

  /** The trunk failed a call; opens the breaker at the threshold, or at once when half-open. */
  recordFailure(now: number): void {
    this.#failures++;
    if (this.#halfOpen || this.#failures >= this.#options.failureThreshold || now < this.#openUntil) {
      this.#openUntil = now + this.#options.openMs;
      this.#halfOpen = true;
      this.#failures = 0;
    }
  }

  /** RFC 3261 21.5.4: the trunk asked us to stay away for `ms` (Retry-After). */
  backOff(now: number, ms: number): void {
    this.#backoffUntil = Math.max(this.#backoffUntil, now + ms);
  }
}
