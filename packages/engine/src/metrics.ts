import type { Dialer } from './dialer';
import type { PromClientLike } from './prom-client-like';

/** Options of {@link instrumentDialer}. */
export interface MetricsOptions<Registry = unknown> {
  /** Registry to register the metrics in; default: prom-client's global registry. */
  readonly registry?: Registry;
  /** Metric name prefix; default `paceline_`. */
  readonly prefix?: string;
}

/**
 * Export a dialer's activity as Prometheus metrics. prom-client is an optional peer
 * dependency: the host passes the module it already uses, so the engine never imports it.
 *
 * ```ts
 * import * as prom from 'prom-client';
 * const stop = instrumentDialer(dialer, prom, { registry: new prom.Registry() });
 * ```
 * Returns a function that stops updating the metrics.
 */
export function instrumentDialer<Registry>(
  dialer: Dialer,
  prom: PromClientLike<Registry>,
  options: MetricsOptions<Registry> = {},
): () => void {
  const prefix = options.prefix ?? 'paceline_';
  const registers = options.registry ? [options.registry] : undefined;
  const common = { labelNames: ['campaign'] as const, ...(registers ? { registers } : {}) };
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
    ...(registers ? { registers } : {}),
  });
  const dispositions = new prom.Counter({
    name: `${prefix}dispositions_total`,
    help: 'Dispositions by code',
    labelNames: ['campaign', 'code'] as const,
    ...(registers ? { registers } : {}),
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
  const agents = new prom.Gauge({
    name: `${prefix}agent_state_changes_total`,
    help: 'Agent state changes by target state',
    labelNames: ['state'] as const,
    ...(registers ? { registers } : {}),
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
  return () => {
    for (const off of offs) off();
  };
}
