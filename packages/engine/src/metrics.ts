import type { Dialer } from './dialer';
import type { PromClientLike } from './prom-client-like';

/** Options of {@link instrumentDialer}. */
export interface MetricsOptions<Registry = unknown> {
  /**
   * Registry to register the metrics in; default: a new registry of this dialer's own (never
   * prom-client's global one, where a second dialer's metrics would collide). Read it from the
   * returned function's `registry`.
   */
  readonly registry?: Registry;
  /** Metric name prefix; default `paceline_`. */
  readonly prefix?: string;
}

/** Stops updating the metrics; `registry` is where they are (the host's, or the dialer's own). */
export interface DialerMetrics<Registry = unknown> {
  (): void;
  readonly registry: Registry;
}

/**
 * Export a dialer's activity as Prometheus metrics. prom-client is an optional peer
 * dependency: the host passes the module it already uses, so the engine never imports it.
 *
 * ```ts
 * import * as prom from 'prom-client';
 * const metrics = instrumentDialer(dialer, prom);
 * const text = await metrics.registry.metrics();
 * ```
 * Returns a function that stops updating the metrics, with the registry they are in.
 */
export function instrumentDialer<Registry>(
  dialer: Dialer,
  prom: PromClientLike<Registry>,
  options: MetricsOptions<Registry> = {},
): DialerMetrics<Registry> {
  const prefix = options.prefix ?? 'paceline_';
  const registry = options.registry ?? new prom.Registry();
  const registers = [registry];
  const common = { labelNames: ['campaign'] as const, registers };
  const dials = new prom.Counter({ name: `${prefix}dials_total`, help: 'Calls originated', ...common });
  const liveAnswers = new prom.Counter({
    name: `${prefix}live_answers_total`,
    help: 'Live answers (answered, classified human)',
    ...common,
  });
  const abandoned = new prom.Counter({ name: `${prefix}abandoned_total`, help: 'Live answers not connected within 2 s', ...common });
  const outcomes = new prom.Counter({
    name: `${prefix}call_outcomes_total`,
    help: 'Ended calls by network outcome',
    labelNames: ['campaign', 'outcome'] as const,
    registers,
  });
  const dispositions = new prom.Counter({
    name: `${prefix}dispositions_total`,
    help: 'Dispositions by code',
    labelNames: ['campaign', 'code'] as const,
    registers,
  });
  const refusals = new prom.Counter({
    name: `${prefix}compliance_refusals_total`,
    help: 'Dials held back by the compliance gate',
    ...common,
  });
  const launch = new prom.Gauge({ name: `${prefix}pacing_launch`, help: "The pacer's latest decision: calls to launch", ...common });
  const connectLatency = new prom.Histogram({
    name: `${prefix}connect_latency_seconds`,
    help: 'Greeting end to agent connected',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3],
    ...common,
  });
  // Only ever incremented: a counter (a gauge must not end in `_total`).
  const agents = new prom.Counter({
    name: `${prefix}agent_state_changes_total`,
    help: 'Agent state changes by target state',
    labelNames: ['state'] as const,
    registers,
  });
  const offs = [
    dialer.on('dialed', (e) => dials.inc({ campaign: e.campaignId })),
    dialer.on('connected', (o) => {
      liveAnswers.inc({ campaign: o.campaignId });
      connectLatency.observe({ campaign: o.campaignId }, o.latencyMs / 1000);
    }),
    dialer.on('abandoned', (e) => {
      liveAnswers.inc({ campaign: e.campaignId });
      abandoned.inc({ campaign: e.campaignId });
    }),
    dialer.on('ended', (e) => outcomes.inc({ campaign: e.campaignId, outcome: e.outcome })),
    dialer.on('dispositioned', (e) => dispositions.inc({ campaign: e.campaignId, code: e.code || 'none' })),
    dialer.on('complianceRefused', (e) => refusals.inc({ campaign: e.campaignId })),
    dialer.on('pacingDecision', (e) => launch.set({ campaign: e.campaignId }, e.verdict.launch)),
    dialer.on('agentStateChanged', (e) => agents.inc({ state: e.to })),
  ];
  const stop = () => {
    for (const off of offs) off();
  };
  return Object.assign(stop, { registry });
}
