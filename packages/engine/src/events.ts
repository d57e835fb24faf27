import type { AgentState, Attempt, CallOutcome, CampaignState, Contact, Order } from '@paceline/core';
import type { ConnectResult, HookFailure } from '@paceline/scripting';
import type { InboundEvents } from './inbound/inbound-options';
import type { PacingDecision } from './ports';
import type { RecycleDecision } from './recycle';

/** A live answer handed to an agent: what the agent desk shows. */
export interface CallOffer {
  readonly campaignId: string;
  readonly callId: string;
  readonly agentId: string;
  readonly contact: Contact;
  readonly attempt: Attempt;
  readonly scriptId?: string;
  /** Why this call is a callback, when it is one booked outside a call (e.g. a failed delivery). */
  readonly callbackReason?: string;
  /** Greeting end → agent connected, ms (the 2-second rule). */
  readonly latencyMs: number;
}

/** Every event a host or dashboard can follow. Listener errors are contained and reported as `error`. */
export type DialerEvents = {
  /** Distributed mode: this process took (`leader: true`, with the reconciled calls of the previous leader) or lost a campaign's pacing lease. */
  leadershipChanged: [{ campaignId: string; leader: boolean; at: number; token?: number; reconciled?: number }];
  campaignStateChanged: [{ campaignId: string; from: CampaignState; to: CampaignState; at: number }];
  dialed: [{ campaignId: string; attempt: Attempt }];
  ringing: [{ campaignId: string; callId: string; at: number }];
  answered: [{ campaignId: string; callId: string; at: number }];
  analysed: [{ campaignId: string; callId: string; result: 'human' | 'machine' | 'unknown'; at: number }];
  /**
   * issue-17: a call taken for a person was an answering machine (`reason`: a late beep, a
   * greeting that ran on, the agent's machine disposition). `handling` is what follows: `hangup`
   * / `message` (the agent, `agentId`, is freed at once), `agent` (the agent keeps it).
   */
  revised: [{ campaignId: string; callId: string; reason: string; at: number; handling: string; agentId?: string }];
  /** issue-17: a machine decision sampled for listen-back: its audio is at `recording`; review it with `amdCalibration.reviewed`. */
  amdListenBack: [{ campaignId: string; callId: string; recording: string; at: number }];
  connected: [CallOffer];
  abandoned: [{ campaignId: string; callId: string; at: number; attempt: Attempt; messagePlayed: boolean }];
  ended: [{ campaignId: string; callId: string; outcome: CallOutcome; at: number; attempt: Attempt }];
  dispositioned: [{ campaignId: string; callId: string; code: string; attempt: Attempt; next: RecycleDecision }];
  agentStateChanged: [{ agentId: string; from: AgentState; to: AgentState; at: number; reason?: string; agentName?: string }]; // issue-24: agentName
  /** Preview mode: a contact for the agent to review; `confirmPreview` dials it, `skipPreview` passes. */
  preview: [{ campaignId: string; agentId: string; contact: Contact; attempts: number }];
  hopperLow: [{ campaignId: string; requested: number; claimed: number; at: number }];
  pacingDecision: [{ campaignId: string; at: number; verdict: PacingDecision }];
  complianceRefused: [
    // issue-24: `timeZones`, the contact's candidate zones, so the floor can say "until 08:00 in America/Chicago".
    {
      campaignId: string;
      contactId: string;
      reasons: readonly string[];
      nextAllowedAt?: number;
      timeZones?: readonly string[];
      at: number;
    },
  ];
  /**
   * The campaign holds (`held: true`): a refusal that concerns the campaign, not the contact — a
   * stale or missing registry copy, an unusable caller ID — so it dials nothing and keeps its
   * contacts until the same check passes again (`held: false`, e.g. after a fresh registry copy).
   */
  campaignHold: [{ campaignId: string; held: boolean; reasons: readonly string[]; messages: readonly string[]; at: number }];
  orderCreated: [{ campaignId: string; order: Order }];
  /** The script, profile and ranked offers for a connected call; `fallback` when the hook failed or was late. */
  scriptReady: [ConnectResult & { campaignId: string; callId: string; agentId: string; fallback: boolean }];
  /** A scripting hook threw, was late or returned something invalid; the call carried on. */
  hookFailed: [{ campaignId: string; failure: HookFailure }];
  /**
   * The store (or the lease) stopped answering (`available: false`, with the first error) or
   * answers again. While it is away nothing is dialled; the call bookkeeping is retried.
   */
  storeAvailability: [{ available: boolean; at: number; error?: unknown }];
  error: [{ where: string; error: unknown }];
} & InboundEvents; // issue-23: `inbound.queued`, `inbound.connected`, … (inbound/inbound-options.ts)
