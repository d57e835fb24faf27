import type { Attempt, InboundCall as InboundCallRecord, Order, TimerHandle, TrunkEvent } from '@paceline/core';
import type { DispositionData } from '../engine-core';
import { type InboundSnapshot, incoming } from './inbound-machine';
import type { ReturnedCaller } from './returned-calls';

/** One inbound call in flight: its machine snapshot, who the caller is, its timers and mailbox. */
export interface InboundCall {
  readonly callId: string;
  readonly from?: string;
  readonly to: string;
  snapshot: InboundSnapshot;
  returned?: ReturnedCaller;
  attempt?: Attempt;
  /** The call as the inbound call ledger keeps it (written at each step: queued, connected, abandoned, refused, dispositioned). */
  record: InboundCallRecord;
  /** The current queue's message and overflow timers. */
  timers: TimerHandle[];
  /** Serialises the handling of this call's events. */
  chain: Promise<void>;
  /** Disposition data the agent gave (read by the `finishDisposition` effect). */
  pending?: { readonly code?: string; readonly data: DispositionData; readonly order?: Order };
  /** Resolves when the call is done or abandoned. */
  readonly finished: Promise<void>;
  markFinished: () => void;
}

/** A call just offered by the trunk (`incoming`), before it is matched and queued. */
export function newInboundCall(event: Extract<TrunkEvent, { type: 'incoming' }>): InboundCall {
  let markFinished = () => {};
  const finished = new Promise<void>((resolve) => {
    markFinished = resolve;
  });
  const from = event.from === undefined ? {} : { from: event.from };
  return {
    finished,
    markFinished,
    callId: event.callId,
    to: event.to,
    ...from,
    snapshot: incoming(event.at),
    record: { id: event.callId, caller: 'service', to: event.to, arrivedAt: event.at, ...from },
    timers: [],
    chain: Promise.resolve(),
  };
}
