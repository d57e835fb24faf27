import { PacelineError, type Random } from '@paceline/core';
import Type, { type Static } from 'typebox';

/**
 * A duration distribution as data (scenario files): `constant`, `exponential`, `lognormal`
 * (by mean and coefficient of variation) or `empirical` (resampling observed values). All in ms.
 */
export const DistributionSpecSchema = Type.Union([
  Type.Object({ kind: Type.Literal('constant'), valueMs: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('exponential'), meanMs: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('lognormal'),
      meanMs: Type.Number({ exclusiveMinimum: 0 }),
      cv: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('empirical'), valuesMs: Type.Array(Type.Number({ minimum: 0 }), { minItems: 1 }) },
    { additionalProperties: false },
  ),
]);

/** A duration distribution as data. */
export type DistributionSpec = Static<typeof DistributionSpecSchema>;

/** A duration distribution that samples from an injected `Random`. */
export interface Distribution {
  /** The mean, ms. */
  readonly meanMs: number;
  /** One sample, ms (≥ 0). */
  sample(random: Random): number;
}

/** Build a distribution; `path` names the field in errors (e.g. `scenario.talk`). */
export function createDistribution(spec: DistributionSpec, path = 'distribution'): Distribution {
  switch (spec.kind) {
    case 'constant': {
      const v = spec.valueMs;
      return { meanMs: v, sample: () => v };
    }
    case 'exponential': {
      const mean = spec.meanMs;
      // 1 − u keeps the logarithm finite for u = 0.
      return { meanMs: mean, sample: (r) => -mean * Math.log(1 - r.next()) };
    }
    case 'lognormal': {
      const sigma2 = Math.log(1 + spec.cv * spec.cv);
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(spec.meanMs) - sigma2 / 2;
      return { meanMs: spec.meanMs, sample: (r) => Math.exp(mu + sigma * standardNormal(r)) };
    }
    case 'empirical': {
      const values = spec.valuesMs.slice();
      if (values.length === 0) throw new PacelineError('E_INVALID_CONFIG', `${path}.valuesMs: expected at least one value`);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { meanMs: mean, sample: (r) => values[r.int(values.length)] ?? mean };
    }
    default:
      throw new PacelineError('E_INVALID_CONFIG', `${path}.kind: expected constant, exponential, lognormal or empirical`);
  }
}

/** One standard normal draw (Box–Muller, one of the pair; two uniforms per draw keeps streams simple). */
function standardNormal(r: Random): number {
  const u1 = 1 - r.next();
  const u2 = r.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
