import { AgentState, type Campaign, CampaignState } from '@paceline/core';
import type { CampaignStatus } from '../engine-core';
import type { CampaignFloorFacts } from './campaign-floor';
import { explainPacerReason } from './kpi-definitions';

/** What a campaign is doing about dialling, and why; the first cause that applies wins. */
export type DialBlocker =
  | 'dialling'
  | 'not-running'
  | 'held'
  | 'campaign-hours'
  | 'outside-window'
  | 'no-agents'
  | 'no-ready-agents'
  | 'list-exhausted'
  | 'nothing-due'
  | 'governor-fallback'
  | 'pacer-zero';

/** The campaign page's "why (not) dialling" line. */
export interface DialExplanation {
  /** True while the campaign is placing calls. */
  readonly dialling: boolean;
  readonly code: DialBlocker;
  /** One sentence for a manager. */
  readonly message: string;
  /** Until when the cause lasts, when it is known (epoch ms). */
  readonly until?: number;
  /** The zone `until` is said in. */
  readonly timeZone?: string;
}

/** A dial counts as recent (the campaign "is dialling") for this long. */
const RECENT_DIAL_MS = 2 * 60_000;

/** `HH:mm` of `at` in `zone`, with the weekday when it is not within the next 20 hours. */
export function localTime(at: number, zone: string, now: number): string {
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  if (at - now < 20 * 3_600_000) return hm;
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(at);
  return `${day} ${hm}`;
}

/**
 * Why a campaign is (not) dialling, from the engine's own state: its status (state, hold, the
 * gates' and the pacer's last decision, agents, contacts) and the floor's facts (refusals for
 * the calling window since the last dial, with the earliest time the window opens). Never
 * guessed from the page. Pure.
 */
export function explainDialling(campaign: Campaign, status: CampaignStatus, facts: CampaignFloorFacts, now: number): DialExplanation {
  const zoneOf = (zones: readonly string[]) => (zones.length === 1 ? (zones[0] as string) : campaign.homeTimeZone);
  if (status.state !== CampaignState.Running) {
    return { dialling: false, code: 'not-running', message: `Not dialling: the campaign is ${status.state}.` };
  }
  if (status.held) {
    const zone = campaign.homeTimeZone;
    return {
      dialling: false,
      code: 'held',
      message: `Not dialling: held since ${localTime(status.held.since, zone, now)} ${zone} — ${status.held.messages.join('; ')}`,
      timeZone: zone,
    };
  }
  const decision = status.lastDecision;
  if (decision && decision.launch === 0 && /^(outside the campaign|before the campaign|the campaign has ended)/.test(decision.reason)) {
    return { dialling: false, code: 'campaign-hours', message: `Not dialling: ${decision.reason}.` };
  }
  const a = status.agents;
  const working = a[AgentState.Ready] + a[AgentState.Reserved] + a[AgentState.OnCall] + a[AgentState.WrapUp];
  const loggedIn = working + a[AgentState.NotReady];
  const recentlyDialled = facts.lastDialAt !== undefined && now - facts.lastDialAt < RECENT_DIAL_MS;
  const window = facts.windowRefusal;
  if (!recentlyDialled && window && window.until > now) {
    const zone = zoneOf(window.timeZones);
    const zones = window.timeZones.length > 1 ? ` (the intersection of ${window.timeZones.join(', ')})` : '';
    return {
      dialling: false,
      code: 'outside-window',
      message: `Not dialling: outside the calling window until ${localTime(window.until, zone, now)} ${zone}${zones}; ${window.count} contact(s) refused for the window since the last dial.`,
      until: window.until,
      timeZone: zone,
    };
  }
  if (loggedIn === 0) return { dialling: false, code: 'no-agents', message: 'Not dialling: no agent is logged in to the campaign.' };
  if (working === 0) {
    return { dialling: false, code: 'no-ready-agents', message: `Not dialling: all ${loggedIn} agent(s) logged in are not ready.` };
  }
  const c = status.contacts;
  const due = c.ready + c.queued;
  if (due === 0 && c.waiting + c.callback === 0 && c.dialing === 0 && status.callsInFlight === 0) {
    return { dialling: false, code: 'list-exhausted', message: 'Not dialling: the list is exhausted — no contact is left to call.' };
  }
  if (due === 0 && !recentlyDialled) {
    return {
      dialling: false,
      code: 'nothing-due',
      message: `Not dialling: nothing is due now — ${c.waiting + c.callback} contact(s) wait for a retry or callback time.`,
    };
  }
  if (decision?.reason.startsWith('governor-fallback')) {
    return {
      dialling: recentlyDialled,
      code: 'governor-fallback',
      message: `Dialling one line per ready agent: ${explainPacerReason(decision.reason)}`,
    };
  }
  if (!recentlyDialled && (!decision || decision.launch === 0)) {
    return {
      dialling: false,
      code: 'pacer-zero',
      message: decision
        ? `Not dialling: the pacer dials 0 — ${explainPacerReason(decision.reason)}`
        : 'Not dialling yet: no pacing decision so far (the campaign has just started).',
    };
  }
  return {
    dialling: true,
    code: 'dialling',
    message: decision ? `Dialling: ${explainPacerReason(decision.reason)}` : 'Dialling.',
  };
}
