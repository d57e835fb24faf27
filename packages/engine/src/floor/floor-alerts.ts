import { PacelineError } from '@paceline/core';

/** A campaign's plan for the day: the forecast volume and the staffing the alerts compare with. */
export interface FloorPlan {
  /** Forecast outbound dials per hour. */
  readonly outboundPerHour?: number;
  /** Forecast inbound calls per hour. */
  readonly inboundPerHour?: number;
  /** Agents planned to be logged in. */
  readonly agents?: number;
}

/** What an alert is about. */
export type FloorAlertKind =
  | 'abandon-near-cap'
  | 'outbound-above-forecast'
  | 'inbound-above-forecast'
  | 'staff-below-plan'
  | 'trunk-breaker-open';

/** One alert on the floor. */
export interface FloorAlert {
  /** Stable while the condition lasts: kind and subject, e.g. `abandon-near-cap:retention`. */
  readonly id: string;
  readonly kind: FloorAlertKind;
  readonly severity: 'warning' | 'critical';
  readonly campaignId?: string;
  readonly trunkId?: string;
  readonly message: string;
  /** Since when the condition holds (epoch ms). */
  readonly since: number;
}

/** An alert raised or cleared. */
export interface FloorAlertEvent {
  readonly type: 'raised' | 'cleared';
  readonly alert: FloorAlert;
  readonly at: number;
}

/** The contingency thresholds of the manuals. */
export const ALERT_THRESHOLDS = {
  /** Abandon rate within this many points (0.003 = 0.3 percentage points) of the cap. */
  abandonMargin: 0.003,
  /** Volume above forecast by half. */
  volumeOverForecast: 1.5,
  /** Logged-in agents below plan by a fifth. */
  staffBelowPlan: 0.8,
} as const;

/** What the campaign alerts read. */
export interface CampaignAlertInput {
  readonly campaignId: string;
  /** Abandon rate over the campaign's compliance window (the governor's). */
  readonly abandonRate: number;
  readonly cap: number;
  readonly outboundLastHour: number;
  readonly inboundLastHour?: number;
  readonly loggedInAgents: number;
  readonly plan?: FloorPlan;
}

type AlertDraft = Omit<FloorAlert, 'since'>;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The alerts a campaign's numbers call for now. Pure. */
export function campaignAlerts(input: CampaignAlertInput): AlertDraft[] {
  const out: AlertDraft[] = [];
  const id = input.campaignId;
  if (input.abandonRate >= input.cap - ALERT_THRESHOLDS.abandonMargin) {
    out.push({
      id: `abandon-near-cap:${id}`,
      kind: 'abandon-near-cap',
      severity: input.abandonRate >= input.cap ? 'critical' : 'warning',
      campaignId: id,
      message: `Abandon rate ${pct(input.abandonRate)} is within 0.3 points of the ${pct(input.cap)} cap (the compliance window).`,
    });
  }
  const plan = input.plan ?? {};
  if (plan.outboundPerHour !== undefined && input.outboundLastHour > plan.outboundPerHour * ALERT_THRESHOLDS.volumeOverForecast) {
    out.push({
      id: `outbound-above-forecast:${id}`,
      kind: 'outbound-above-forecast',
      severity: 'warning',
      campaignId: id,
      message: `Outbound volume ${input.outboundLastHour} dials in the last hour is more than 50% above the forecast of ${plan.outboundPerHour} an hour.`,
    });
  }
  if (
    plan.inboundPerHour !== undefined &&
    input.inboundLastHour !== undefined &&
    input.inboundLastHour > plan.inboundPerHour * ALERT_THRESHOLDS.volumeOverForecast
  ) {
    out.push({
      id: `inbound-above-forecast:${id}`,
      kind: 'inbound-above-forecast',
      severity: 'warning',
      campaignId: id,
      message: `Inbound volume ${input.inboundLastHour} calls in the last hour is more than 50% above the forecast of ${plan.inboundPerHour} an hour.`,
    });
  }
  if (plan.agents !== undefined && input.loggedInAgents < plan.agents * ALERT_THRESHOLDS.staffBelowPlan) {
    out.push({
      id: `staff-below-plan:${id}`,
      kind: 'staff-below-plan',
      severity: 'warning',
      campaignId: id,
      message: `${input.loggedInAgents} agent(s) logged in, more than 20% below the plan of ${plan.agents}.`,
    });
  }
  return out;
}

/** A trunk as its adapter reports it (trunk-sip's `stats().trunks` fits). */
export interface TrunkHealth {
  readonly id: string;
  readonly breaker: 'closed' | 'open' | 'half-open';
}

/** An alert per trunk whose breaker is open. Pure. */
export function trunkAlerts(trunks: readonly TrunkHealth[]): AlertDraft[] {
  return trunks
    .filter((t) => t.breaker === 'open')
    .map((t) => ({
      id: `trunk-breaker-open:${t.id}`,
      kind: 'trunk-breaker-open' as const,
      severity: 'critical' as const,
      trunkId: t.id,
      message: `Trunk ${t.id}: its circuit breaker is open — calls on it are refused until a trial call succeeds.`,
    }));
}

/** Check a plan from a form or a host: non-negative finite numbers; throws `E_INVALID_CONFIG` naming the field. */
export function parseFloorPlan(input: unknown): FloorPlan {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PacelineError('E_INVALID_CONFIG', 'plan: expected an object such as { "outboundPerHour": 300, "agents": 12 }');
  }
  const plan: Record<string, number> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key !== 'outboundPerHour' && key !== 'inboundPerHour' && key !== 'agents') {
      throw new PacelineError('E_INVALID_CONFIG', `plan.${key}: unknown field; expected outboundPerHour, inboundPerHour or agents`);
    }
    if (value === undefined || value === null || value === '') continue;
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n < 0) {
      throw new PacelineError('E_INVALID_CONFIG', `plan.${key}: expected a number of 0 or more, got ${JSON.stringify(value)}`);
    }
    plan[key] = n;
  }
  return plan as FloorPlan;
}

/**
 * The alerts active now: `update` with what the rules say at `now` raises the new ones and
 * clears those gone, each as a {@link FloorAlertEvent} to the listeners (listener errors are
 * contained and go to `onListenerError`).
 */
export class AlertBoard {
  readonly #active = new Map<string, { readonly alert: FloorAlert; readonly scope: string }>();
  readonly #listeners = new Set<(event: FloorAlertEvent) => void>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Listen to raised and cleared alerts; returns the unsubscribe function. */
  on(listener: (event: FloorAlertEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replace the alerts of `scope` (a campaign id, or `trunks`) with `drafts`, as of `now`. */
  update(scope: string, drafts: readonly AlertDraft[], now: number): void {
    const seen = new Set<string>();
    for (const draft of drafts) {
      seen.add(draft.id);
      const existing = this.#active.get(draft.id)?.alert;
      const alert: FloorAlert = { ...draft, since: existing?.since ?? now };
      this.#active.set(draft.id, { alert, scope });
      if (!existing) this.#emit({ type: 'raised', alert, at: now });
    }
    for (const [id, entry] of this.#active) {
      if (entry.scope !== scope || seen.has(id)) continue;
      this.#active.delete(id);
      this.#emit({ type: 'cleared', alert: entry.alert, at: now });
    }
  }

  /** The alerts active now, oldest first. */
  active(): FloorAlert[] {
    return [...this.#active.values()].map((entry) => entry.alert).sort((a, b) => a.since - b.since);
  }

  #emit(event: FloorAlertEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
