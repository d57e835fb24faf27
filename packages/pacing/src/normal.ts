const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal density. */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Standard normal CDF, |error| < 7.5e−8 (Abramowitz & Stegun 26.2.17). No allocation;
 * the predictive pacer calls it in its hot path.
 */
export function normalCdf(z: number): number {
  const x = z < 0 ? -z : z;
  const t = 1 / (1 + 0.2316419 * x);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = normalPdf(x) * poly;
  return z < 0 ? upper : 1 - upper;
}

/** E[max(0, X)] for X ~ Normal(mean, sd²); sd > 0. */
export function expectedPositivePart(mean: number, sd: number): number {
  const z = mean / sd;
  return mean * normalCdf(z) + sd * normalPdf(z);
}
