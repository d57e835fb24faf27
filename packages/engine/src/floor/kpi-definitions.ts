/**
 * The floor's KPIs, defined once: the dashboard, the CLI and the demo report all take their
 * numbers and their explanations from here, so "conversion" means one thing everywhere.
 */

/** What the outcome KPIs count: the calls an agent won. */
export interface ConversionCounts {
  /** Dispositions marked `sale` in the campaign. */
  readonly sales: number;
  /** Retention saves (disposition `SAVED`); counted in the save rate, not in conversion. */
  readonly saves: number;
  /** Live answers (answered and classified human; DESIGN.md). */
  readonly liveAnswers: number;
}

/**
 * Conversion = sales / live answers (DESIGN.md, "Definitions the whole codebase uses").
 * Retention saves are not sales: they have their own {@link saveRate}, shown beside it.
 * 0 when there were no live answers.
 */
export function conversionRate(counts: Pick<ConversionCounts, 'sales' | 'liveAnswers'>): number {
  return counts.liveAnswers <= 0 ? 0 : counts.sales / counts.liveAnswers;
}

/** Save rate = retention saves / live answers; 0 when there were no live answers. */
export function saveRate(counts: Pick<ConversionCounts, 'saves' | 'liveAnswers'>): number {
  return counts.liveAnswers <= 0 ? 0 : counts.saves / counts.liveAnswers;
}

/** Both outcome KPIs of one set of counts, from the one definition each. */
export function outcomeRates(counts: ConversionCounts): { readonly conversion: number; readonly saveRate: number } {
  return { conversion: conversionRate(counts), saveRate: saveRate(counts) };
}

/** How the floor names an agent: "name (id)", or the id alone when the name is unknown or equals it. */
export function agentLabel(agent: { readonly agentId: string; readonly agentName?: string }): string {
  const name = agent.agentName?.trim();
  return name && name !== agent.agentId ? `${name} (${agent.agentId})` : agent.agentId;
}

/** The one-line explanation of every KPI the floor shows (tooltips, CLI help, report footnotes). */
export const KPI_DEFINITIONS = {
  conversion: 'Conversion = sales / live answers. Retention saves are counted in the save rate, not here.',
  saveRate: 'Save rate = retention saves (disposition SAVED) / live answers. Shown beside conversion; a save is not a sale.',
  contactRate: 'Contact rate = live answers / dials. A live answer is a call answered by a person (not a machine).',
  abandonRate:
    'Abandon rate = abandoned / live answers over a rolling window. A call is abandoned when the person answered and no agent was connected within 2 s.',
  abandon30d:
    'The US Telemarketing Sales Rule measures the abandon rate over 30 days per campaign (16 CFR 310.4(b)(4)(i)); Ofcom (UK) over 24 hours. The cap applies to that window, not to one morning.',
  abandon24h:
    'The abandon rate over the last 24 hours. What Ofcom measures; in the US an early-day figure above the cap is not a breach by itself.',
  hopperDepth: 'Hopper depth = contacts ready or queued to dial now (not counting those waiting for a retry time or their calling window).',
  dialRatio: 'Dial ratio = calls in flight per working agent (ready, reserved, on a call or in wrap-up).',
  penetration: 'List penetration = contacts finished (done or do-not-call) / all contacts in the list.',
  aht: 'AHT (average handling time) = (talk + wrap-up) / calls handled.',
  adherence:
    'Adherence = share of logged-in time spent as planned: not ready during a planned break, available (ready, reserved, on a call or in wrap-up) outside it.',
  talk: 'Talk = time on calls (on-call state), today.',
  occupancy: 'Occupancy = (talk + wrap-up) / logged-in time.',
  listEta: 'When the list runs out at the pace of the last hour: contacts left to call / contacts finished per hour.',
  refusals: 'Dials the compliance gate refused, by reason (calling window, attempt caps, do-not-call, locks).',
  agentsLine:
    '"15 of 24" = agents working (ready, reserved, on a call or in wrap-up) of agents logged in to the campaign (including not ready).',
  supervise:
    'Listen hears both sides; whisper speaks to the agent only; barge speaks to both. The caller never hears a listen or a whisper. Every join is audited.',
  pacerWhy: 'Why the pacer chose the number of lines it did (see the reason’s own explanation).',
} as const;

/** A KPI with a definition in {@link KPI_DEFINITIONS}. */
export type KpiName = keyof typeof KPI_DEFINITIONS;

/** What each pacer reason (`PacingDecision.reason`) means, in a manager's words. */
export const PACER_REASONS: Readonly<Record<string, string>> = {
  model:
    'model: the predictive model chose the most lines whose expected abandons stay within the abandon target, given how long calls take to answer and agents to free up.',
  'line-cap': 'line-cap: the lines in flight reached the campaign’s maximum lines per agent.',
  'progressive-floor': 'progressive-floor: one line per ready agent; the model would not add more without risking abandons.',
  'cold-start': 'cold-start: too few calls observed yet to trust the model; dialling one line per ready agent (progressive) meanwhile.',
  'small-team': 'small-team: fewer agents at work than the predictive minimum; dialling one line per ready agent.',
  'governor-fallback':
    'governor-fallback: the abandon rate is at or near the cap, so the governor falls back to one line per ready agent (no abandons possible).',
  'no-agents': 'no-agents: no agent is at work (ready, reserved, on a call or in wrap-up), so nothing is dialled.',
  progressive: 'progressive: one line per ready agent.',
  power: 'power: a fixed number of lines per ready agent.',
  preview: 'preview: agents review each contact and confirm the dial.',
};

/** A pacer reason (the first word of `lastDecision.reason`) explained; the reason itself when unknown. */
export function explainPacerReason(reason: string): string {
  const key = reason.split(/[\s:(]/, 1)[0] ?? reason;
  return PACER_REASONS[key] ?? reason;
}

/** Compliance refusal reason codes (`@paceline/compliance`'s `ReasonCode`) in a manager's words. */
export const REFUSAL_REASONS: Readonly<Record<string, string>> = {
  'outside-window': 'outside the calling window (the called party’s local time)',
  holiday: 'a public holiday where the called party is',
  'attempt-cap': 'attempt cap reached for the contact',
  lock: 'locked after an abandon, machine answer, conversation or refusal',
  'dnc-internal': 'on the internal do-not-call list',
  'dnc-campaign': 'on the campaign’s do-not-call list',
  'dnc-registry': 'on the national do-not-call registry',
  'registry-stale': 'the registry copy is too old',
  'registry-missing': 'no registry copy loaded',
  'invalid-phone': 'invalid phone number',
  'phone-not-on-contact': 'phone not on the contact',
  'unknown-profile': 'unknown compliance profile',
  'no-caller-id': 'no caller ID',
  'invalid-caller-id': 'invalid caller ID',
};
