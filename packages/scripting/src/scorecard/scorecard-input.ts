import type { Attempt, Disposition, InboundCall, Order } from '@paceline/core';
import type { OfferKind } from '../offers/offer-catalog';

/** An attempt as the engine stores it, plus when the agent finished wrap-up (the disposition), epoch ms. */
export type KpiAttempt = Attempt & { readonly wrapEndedAt?: number };

/** An agent's logged-in stretch in one campaign (the occupancy denominator), epoch ms. */
export interface AgentSession {
  readonly agentId: string;
  readonly campaignId: string;
  readonly loginAt: number;
  readonly logoutAt: number;
}

/** One offer made on a call and the customer's answer. */
export interface OfferOutcome {
  readonly attemptId: string;
  readonly offerId: string;
  readonly kind: OfferKind;
  readonly accepted: boolean;
}

/** Plain records in: what the engine and the scripting hooks recorded. */
export interface ScorecardInput {
  readonly attempts: readonly KpiAttempt[];
  /** Sales handed to fulfilment; attributed through `attemptId` (else campaign and day of `createdAt`). */
  readonly orders?: readonly Order[];
  readonly offerOutcomes?: readonly OfferOutcome[];
  readonly sessions?: readonly AgentSession[];
  /**
   * issue-23: the inbound call ledger (`Store.listInboundCalls`). Answered service calls (no
   * contact) count for their agent and day; returned calls count once, through their attempt
   * (a record with `attemptId` is skipped here).
   */
  readonly inboundCalls?: readonly InboundCall[];
  /** Disposition definitions (their flags say what a code counts as); default: core's defaults. */
  readonly dispositions?: readonly Disposition[];
  /** Per-campaign definitions, over `dispositions`. */
  readonly dispositionsByCampaign?: Readonly<Record<string, readonly Disposition[]>>;
}
