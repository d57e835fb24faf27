import type { Attempt, InboundCall as InboundCallRecord, Order, TimerHandle } from '@paceline/core';
import type { DispositionData } from '../engine-core';
import type { InboundSnapshot } from './inbound-machine';
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
