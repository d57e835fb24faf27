import {
  type Attempt,
  type Contact,
  type InboundConfig,
  type InboundConfigInput,
  type InboundQueue,
  PacelineError,
  parseInboundConfig,
  type Trunk,
} from '@paceline/core';
import { BLEND_DEMAND_DEFAULTS, type BlendPolicyOptions, parseBlendPolicyOptions } from '@paceline/pacing';
import type { InboundQueueStatus } from './queue-stats';

/**
 * The inbound side of `createDialer`: queues (skills, priority, service-level target, messages
 * while waiting, overflow), the numbers each answers, and the blend's tuning.
 *
 * ```ts
 * createDialer({ trunk, inbound: {
 *   queues: [{ id: 'service', numbers: ['+442071234567'], skills: ['service'],
 *              serviceLevel: { fraction: 0.8, answerSeconds: 20 }, scriptId: 'service-script',
 *              messages: [{ afterSeconds: 30, messageId: 'all-agents-busy', everySeconds: 60 }],
 *              overflow: { afterSeconds: 120, queueId: 'backup' } },
 *            { id: 'backup' }],
 *   returnedCallsQueue: 'service',
 * } });
 * ```
 */
export type InboundOptions = InboundConfigInput & {
  /**
   * The blend policy's tuning (`@paceline/pacing`'s `createBlendPolicy`): how many agents the
   * outbound pacer leaves free for inbound. Its service-level target defaults to the first queue's.
   * `inboundModel: 'demand'` (the default) runs the blend the simulator's bench measures for
   * predictive campaigns with the default pacing: inbound as demand in the predictive walk, the
   * abandon budget spread over the campaign's calling day with a day guard, and the router rule
   * (`outbound-commitments.ts`) keeping inbound off the agents outbound calls in flight count on
   * (`BLEND_DEMAND_DEFAULTS` apply unless overridden; docs/inbound.md, docs/blending.md).
   * `inboundModel: 'hold'`: reserve + queued agents flagged `leaving`, no spread, no rule.
   */
  readonly blend?: Partial<BlendPolicyOptions>;
};

/** The inbound options, validated, with defaults applied. */
export interface InboundSetup {
  readonly config: InboundConfig;
  readonly blend: BlendPolicyOptions;
}

/**
 * Validate `createDialer`'s `inbound` option against the trunk. Throws `E_INVALID_CONFIG`
 * naming the field (`inbound.queues[0].numbers[1]: …`), or when the trunk takes no inbound calls.
 */
export function parseInboundOptions(input: InboundOptions, trunk: Trunk): InboundSetup {
  const { blend, ...rest } = input;
  const config = parseInboundConfig(rest);
  if (typeof trunk.acceptInbound !== 'function' || typeof trunk.answer !== 'function') {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'createDialer: inbound: the trunk takes no inbound calls (it has no acceptInbound/answer); use a trunk with the inbound half of the Trunk port',
    );
  }
  const first = config.queues[0];
  const target = first ? { serviceLevelTarget: first.serviceLevel.fraction, targetAnswerSeconds: first.serviceLevel.answerSeconds } : {};
  // issue-23: the `demand` model (the engine's default since 23-router; `hold` on request) runs with the simulator's
  // blend settings unless the host overrides them.
  const demand = (blend?.inboundModel ?? 'demand') === 'demand' ? BLEND_DEMAND_DEFAULTS : {};
  return { config, blend: parseBlendPolicyOptions({ ...target, ...demand, ...blend }) };
}

/** Who an inbound caller is: a campaign contact returning a call, or a service caller (unknown or withheld number). */
export type InboundCaller =
  | { readonly kind: 'returned'; readonly campaignId: string; readonly contactId: string }
  | { readonly kind: 'service' };

/** What every inbound event carries. */
interface InboundEventBase {
  readonly callId: string;
  readonly queueId: string;
  readonly at: number;
  readonly caller: InboundCaller;
}

/** An inbound call connected to an agent: what the agent desk shows. */
export interface InboundOffer extends InboundEventBase {
  readonly agentId: string;
  /** Queue entry → agent connected, ms (the ASA sample). */
  readonly waitMs: number;
  /** A returned call: the contact, with its profile (the campaign's script follows as `scriptReady`). */
  readonly contact?: Contact;
  /** A returned call: its entry in the attempt ledger. */
  readonly attempt?: Attempt;
  /** The script to run: the campaign's for a returned call, the queue's service script otherwise. */
  readonly scriptId?: string;
  /** issue-23 23-xnode: distributed mode: the engine node whose trunk holds the call (a call id is unique on its node only). */
  readonly callNode?: string;
}

/** The inbound events of `Dialer.on` (names with a dot: `dialer.on('inbound.queued', …)`). */
export type InboundEvents = {
  /** A caller joined a queue (`from`: the queue it overflowed from). */
  'inbound.queued': [InboundEventBase & { readonly from?: string; readonly waiting: number }];
  /** An agent is reserved for a queued caller; the audio is being bridged. */
  'inbound.offered': [InboundEventBase & { readonly agentId: string }];
  'inbound.connected': [InboundOffer];
  /** A queued caller hung up: a queue abandon, never counted in a campaign's abandon rate. */
  'inbound.abandoned': [InboundEventBase & { readonly waitMs: number }];
  /** The trunk offered a call no queue answers (or the dialer is closing): refused at the network. */
  'inbound.rejected': [{ readonly callId: string; readonly to: string; readonly at: number; readonly reason: string }];
  /** A connected inbound call ended (either side hung up): its agent (absent: the agent had left) is in wrap-up and owes the disposition. */
  'inbound.ended': [InboundEventBase & { readonly agentId?: string }];
  /** `sale`: a campaign sale code, or an order handed to fulfilment (`orderId`). */
  'inbound.dispositioned': [
    InboundEventBase & { readonly agentId?: string; readonly code: string; readonly sale: boolean; readonly orderId?: string },
  ];
  /**
   * A do-not-call request made on an inbound call: the number is on the internal DNC list (every
   * campaign's dial-time check refuses it) and these contacts were retired as `dnc`.
   */
  'inbound.dnc': [
    { readonly callId: string; readonly at: number; readonly contacts: readonly { campaignId: string; contactId: string }[] },
  ];
};

/** The inbound side's live numbers: per queue, and the blend's last decision. */
export interface InboundStatus {
  readonly queues: readonly InboundQueueStatus[];
  /** Inbound calls with an agent (offered, connected or in wrap-up). */
  readonly withAgents: number;
  /**
   * The blend's last decision: agents kept free for inbound, and agents spoken for (reserve +
   * queued callers), summed over the queues; the lowest predicted service level of any queue;
   * and each queue's own part (a shared agent is held by one queue at most).
   */
  readonly blend?: {
    readonly reserve: number;
    readonly hold: number;
    readonly predictedServiceLevel: number;
    readonly at: number;
    readonly queues?: readonly {
      readonly queueId: string;
      readonly reserve: number;
      readonly hold: number;
      readonly predictedServiceLevel: number;
    }[];
  };
}

/** A service line's queue; a campaign's caller ID (or a caller matched to a contact) goes to the returned-calls queue (default the first). */
export function queueForNumber(
  config: InboundSetup['config'],
  campaignCallerIds: readonly string[],
  to: string,
  returned: boolean,
): InboundQueue | undefined {
  const line = config.queues.find((q) => q.numbers.includes(to));
  if (line) return line;
  const isCallerId = config.acceptCampaignCallerIds && campaignCallerIds.includes(to);
  if (!isCallerId && !returned) return undefined;
  return config.returnedCallsQueue === undefined ? config.queues[0] : config.queues.find((q) => q.id === config.returnedCallsQueue);
}
