import type { DispositionData } from '../engine-core';
import type { InboundEvents, InboundStatus } from './inbound-options';

/** Extra data of an inbound disposition. */
export interface InboundDispositionData extends DispositionData {
  /** The caller asked not to be called again: honoured in every campaign at once (the number goes on the internal DNC list). */
  readonly dnc?: boolean;
  /**
   * A service call's sale: the campaign contact the agent identified the caller as — the
   * order's customer, whom fulfilment's feedback (a failed delivery's callback) reaches. A
   * returned call's order is its own contact's.
   */
  readonly contact?: { readonly campaignId: string; readonly contactId: string };
}

/**
 * The inbound side of the dialer a host uses (`dialer.inbound`): status, and what an agent
 * does on an inbound call. Events come through `dialer.on('inbound.…')`.
 */
export interface InboundApi {
  /** Per queue: callers waiting, the longest wait, service level, ASA, queue abandons (apart from outbound abandons). */
  status(): InboundStatus;
  /** The numbers the trunk is told to accept: the queues' service lines, plus the campaigns' caller IDs. */
  numbers(): string[];
  /** End a connected inbound call (the agent moves to wrap-up). */
  hangup(callId: string): Promise<void>;
  /**
   * Close an inbound call with a disposition. A returned call takes its campaign's codes (and
   * its contact is retired, called back or left as the code says); a service call any code. A
   * disposition with `dnc` (the code's or `data.dnc`) puts the caller's number on the internal
   * DNC list: every campaign stops dialling it at once.
   */
  disposition(callId: string, code: string, data?: InboundDispositionData): Promise<void>;
  /** The caller on `callId` asks not to be called again (during the call or its wrap-up). */
  requestDnc(callId: string): Promise<void>;
  /** True while `callId` is an inbound call of this dialer. */
  has(callId: string): boolean;
}

/** The inbound events' names (for hosts that forward every event, e.g. the dashboard). */
export const INBOUND_EVENTS: readonly (keyof InboundEvents)[] = [
  'inbound.queued',
  'inbound.offered',
  'inbound.connected',
  'inbound.abandoned',
  'inbound.rejected',
  'inbound.ended',
  'inbound.dispositioned',
  'inbound.dnc',
];
