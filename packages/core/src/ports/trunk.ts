import type { CallOutcome } from '../schema/call-outcome';

/** A request to place one call. */
export interface OriginateRequest {
  /** The engine's id for this call (= the attempt id). */
  readonly callId: string;
  readonly campaignId: string;
  /** E.164 number to dial. */
  readonly to: string;
  /** E.164 caller ID to present. */
  readonly callerId: string;
  /** Ring time before the trunk gives up with `no-answer`; at least 15 000. */
  readonly ringTimeoutMs: number;
}

/** What the trunk reports about a call, in order. `at` is `Clock.now()` of the trunk. */
export type TrunkEvent =
  | { readonly type: 'ringing'; readonly callId: string; readonly at: number }
  | { readonly type: 'answered'; readonly callId: string; readonly at: number }
  | {
      readonly type: 'analysed';
      readonly callId: string;
      readonly at: number;
      /** Call analysis: a person, an answering machine, or undecided. */
      readonly result: 'human' | 'machine' | 'unknown';
      /** When the greeting ended (the 2-second connect rule starts here). */
      readonly greetingEndedAt: number;
    }
  | {
      readonly type: 'ended';
      readonly callId: string;
      readonly at: number;
      readonly outcome: CallOutcome;
      /** The carrier's cause (SIP status, Q.850 code) when known. */
      readonly cause?: string;
    };

/** A telephony trunk: places calls and reports their progress. */
export interface Trunk {
  /** Start dialling. Progress arrives through `onEvent`; rejects only if the call could not be sent. */
  originate(request: OriginateRequest): Promise<void>;
  /** Hang up a call in any state (CANCEL before answer, BYE after). */
  hangup(callId: string): Promise<void>;
  /** Play a recorded message on an answered call, e.g. the safe-harbour message. */
  playMessage(callId: string, messageId: string): Promise<void>;
  /** Subscribe to call progress; returns an unsubscribe function. */
  onEvent(listener: (event: TrunkEvent) => void): () => void;
  /** Release resources. */
  close(): Promise<void>;
}
