import type { InboundOffer } from '../inbound/inbound-options';

/**
 * issue-23: what engine nodes tell each other about an inbound call whose agent is on another
 * node (distributed mode with an agent pool). The node whose trunk holds the inbound call leads
 * it (its inbound desk runs the call's machine); the agent's node owns the agent. Unlike an
 * outbound call there is no campaign and, for a service caller, no contact: the connect carries
 * the `InboundOffer` and the release the inbound disposition's outcome.
 *
 * ```
 *  leader ──inboundOffer──► agent's node ──inboundAccept | inboundDecline──► leader
 *  leader ──inboundConnect (InboundOffer)──► agent's node (emits inbound.connected)
 *  agent's node ──inboundForward (hangup | disposition | dnc), inboundAgentLeft──► leader
 *  leader ──inboundEnded──► agent's node (wrap-up)   leader ──inboundReleased──► agent's node
 *  leader ──inboundCancel──► agent's node (the offer withdrawn: declined elsewhere, deadline, caller gone)
 *  a freed agent's node ──inboundPull──► the node of the oldest caller across the pool (offer it to me)
 *  leader ──inboundDnc──► every other node in the pool (its compliance gate's internal DNC list)
 * ```
 */
export type InboundPoolMessage =
  | {
      readonly type: 'inboundOffer';
      readonly callId: string;
      readonly agentId: string;
      readonly queueId: string;
      /** The queue's skills (the agent must still have them all on its node). */
      readonly skills: readonly string[];
      readonly leader: string;
    }
  | {
      readonly type: 'inboundAccept' | 'inboundDecline' | 'inboundCancel' | 'inboundAgentLeft' | 'inboundPull';
      readonly callId: string;
      readonly agentId: string;
      /** issue-23 23-xnode, `inboundCancel`: the node leading the call (a call id is unique on its node only); absent from older nodes. */
      readonly leader?: string;
      /** issue-23 23-dist, `inboundDecline`: the router rule kept the agent for outbound calls; it may be asked again later. */
      readonly kept?: boolean;
    }
  | { readonly type: 'inboundConnect'; readonly offer: InboundOffer }
  | { readonly type: 'inboundEnded'; readonly callId: string; readonly agentId: string; readonly at: number; readonly leader?: string }
  | {
      readonly type: 'inboundReleased';
      readonly callId: string;
      readonly agentId: string;
      /** issue-23 23-xnode: the node leading the call; absent from older nodes. */
      readonly leader?: string;
      /** The inbound disposition's outcome, as the leader's `inbound.dispositioned` has it. */
      readonly code: string;
      readonly sale: boolean;
      readonly orderId?: string;
      readonly agentNext?: 'ready' | 'not-ready';
    }
  | { readonly type: 'inboundForward'; readonly callId: string; readonly agentId: string; readonly action: InboundForwarded }
  /** A do-not-call request honoured on the leader: every other node adds the number to its own internal DNC list. */
  | { readonly type: 'inboundDnc'; readonly phone: string; readonly source: string; readonly at: number };

/** An agent's action on an inbound call another node leads, forwarded to that node. */
export type InboundForwarded =
  | { readonly method: 'hangup' }
  /** `data`: the agent's `InboundDispositionData`, as sent (checked on the agent's node). */
  | { readonly method: 'disposition'; readonly code: string; readonly data: Record<string, unknown> }
  | { readonly method: 'dnc' };

/** How long the leader waits for the agent's node to accept an inbound offer, ms; a silent node counts as a decline. */
export const INBOUND_OFFER_DEADLINE_MS = 3_000;

/** Messages the leader of the inbound call handles (the others go to the agent's node). */
export const toInboundLeader = (m: InboundPoolMessage): boolean =>
  m.type === 'inboundAccept' ||
  m.type === 'inboundDecline' ||
  m.type === 'inboundAgentLeft' ||
  m.type === 'inboundForward' ||
  m.type === 'inboundPull';
