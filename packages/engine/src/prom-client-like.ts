/**
 * The part of prom-client's module that `instrumentDialer` uses, stated structurally. prom-client
 * is an optional peer dependency: the engine's published types must not import it, or a host
 * without it (and `skipLibCheck: false`) fails to compile. `import * as prom from 'prom-client'`
 * satisfies this interface.
 */

/** A metric's label values by label name. */
export type PromLabels = Record<string, string>;

/** What the metrics constructors take; `Registry` is the host's prom-client registry type. */
export interface PromMetricConfig<Registry> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly registers?: Registry[];
}

/** A prom-client `Counter`. */
export interface PromCounterLike {
  inc(labels: PromLabels, value?: number): void;
}

/** A prom-client `Gauge`. */
export interface PromGaugeLike {
  set(labels: PromLabels, value: number): void;
  inc(labels: PromLabels, value?: number): void;
}

/** A prom-client `Histogram`. */
export interface PromHistogramLike {
  observe(labels: PromLabels, value: number): void;
}

/** prom-client's module (`import * as prom from 'prom-client'`), as far as the engine uses it. */
export interface PromClientLike<Registry = unknown> {
  /** A new, empty registry (each dialer gets its own unless the host passes one). */
  readonly Registry: new () => Registry;
  readonly Counter: new (config: PromMetricConfig<Registry>) => PromCounterLike;
  readonly Gauge: new (config: PromMetricConfig<Registry>) => PromGaugeLike;
  readonly Histogram: new (config: PromMetricConfig<Registry> & { readonly buckets?: number[] }) => PromHistogramLike;
}
