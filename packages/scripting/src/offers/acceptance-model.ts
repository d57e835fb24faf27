import { PacelineError, type Random } from '@paceline/core';
import { sampleBeta } from './beta-sampler';
import type { BetaPrior } from './offer-catalog';

/** Outcomes seen for one offer in one segment. */
export interface AcceptanceCounts {
  readonly offerId: string;
  readonly segment: string;
  readonly accepted: number;
  readonly declined: number;
}

/** A plain, JSON-safe copy of what a model has learned, to store and restore. */
export interface AcceptanceSnapshot {
  readonly prior: BetaPrior;
  readonly counts: readonly AcceptanceCounts[];
}

/** A Beta posterior: `alpha` = prior α + acceptances, `beta` = prior β + refusals. */
export interface BetaPosterior {
  readonly alpha: number;
  readonly beta: number;
}

/** The posterior mean α / (α + β); in [0, 1] for any positive α, β. */
export function betaMean(posterior: BetaPosterior): number {
  return posterior.alpha / (posterior.alpha + posterior.beta);
}

const key = (offerId: string, segment: string) => `${offerId}\u0000${segment}`;

/**
 * Acceptance rates learned per offer and segment with a Beta–Bernoulli model: each outcome
 * adds one to α (accepted) or β (declined). One model per campaign (never shared between
 * tenants); its state is plain data (`snapshot()`), so a host can persist it.
 */
export class AcceptanceModel {
  readonly #prior: BetaPrior;
  readonly #counts = new Map<string, { offerId: string; segment: string; accepted: number; declined: number }>();

  /** @param options.prior the default prior, Beta(1, 1) unless given; `snapshot` restores learned counts. */
  constructor(options: { prior?: BetaPrior; snapshot?: AcceptanceSnapshot } = {}) {
    const prior = options.prior ?? options.snapshot?.prior ?? { alpha: 1, beta: 1 };
    if (!(prior.alpha > 0 && prior.beta > 0)) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `AcceptanceModel: prior: expected alpha and beta above 0, got ${prior.alpha}, ${prior.beta}`,
      );
    }
    this.#prior = { ...prior };
    for (const c of options.snapshot?.counts ?? []) this.#counts.set(key(c.offerId, c.segment), { ...c });
  }

  /** Record one outcome of `offerId` offered in `segment`. */
  observe(offerId: string, segment: string, accepted: boolean): void {
    const k = key(offerId, segment);
    const entry = this.#counts.get(k) ?? { offerId, segment, accepted: 0, declined: 0 };
    if (accepted) entry.accepted++;
    else entry.declined++;
    this.#counts.set(k, entry);
  }

  /** The posterior for `offerId` in `segment`, starting from `prior` (an offer's own) or the model's. */
  posterior(offerId: string, segment: string, prior: BetaPrior = this.#prior): BetaPosterior {
    const entry = this.#counts.get(key(offerId, segment));
    return { alpha: prior.alpha + (entry?.accepted ?? 0), beta: prior.beta + (entry?.declined ?? 0) };
  }

  /** The posterior mean acceptance probability. */
  estimate(offerId: string, segment: string, prior?: BetaPrior): number {
    return betaMean(this.posterior(offerId, segment, prior));
  }

  /** A Thompson-sampling draw from the posterior, with the injected `random`. */
  sample(offerId: string, segment: string, random: Random, prior?: BetaPrior): number {
    const { alpha, beta } = this.posterior(offerId, segment, prior);
    return sampleBeta(alpha, beta, random);
  }

  /** What the model has learned, as plain data. */
  snapshot(): AcceptanceSnapshot {
    return { prior: { ...this.#prior }, counts: [...this.#counts.values()].map((c) => ({ ...c })) };
  }
}
