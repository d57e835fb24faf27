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

/**
 * Why a call first analysed as a person is a machine after all: a voicemail beep heard later
 * (`late-beep`), a greeting that ran on past what people say (`long-greeting`), a voicemail
 * phrase in the greeting's words (`greeting-words`), or anything
 * else a trunk's detector found (`other`).
 */
export type AmdRevisionReason = 'late-beep' | 'long-greeting' | 'greeting-words' | 'other'; // issue-17-kws: greeting-words (a voicemail phrase heard)

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
      /**
       * Call analysis changed its mind: a call analysed `human` or `unknown` (and so connected
       * as a person) is an answering machine after all. At most once per call, after its
       * `analysed` and before its `ended`. The engine treats the call as a machine from here on
       * (its campaign's machine handling, calibration); the trunk ends it with outcome `machine`.
       */
      readonly type: 'revised';
      readonly callId: string;
      readonly at: number;
      /** What gave the machine away (see {@link AmdRevisionReason}). */
      readonly reason: AmdRevisionReason;
    }
  | {
      readonly type: 'ended';
      readonly callId: string;
      readonly at: number;
      readonly outcome: CallOutcome;
      /** The carrier's cause (SIP status, Q.850 code) when known. */
      readonly cause?: string;
    }
  | {
      /**
       * An inbound call offered to the engine (a caller dialled one of the numbers given to
       * {@link Trunk.acceptInbound}). It is not answered yet: the engine answers it with
       * {@link Trunk.answer}, refuses it with {@link Trunk.reject}, or the caller gives up
       * (`ended` with outcome `no-answer`). Once answered it ends like an outbound call
       * (`ended`, outcome `human`, when either side hangs up).
       */
      readonly type: 'incoming';
      readonly callId: string;
      readonly at: number;
      /** The caller's number, E.164, when the network gave one; absent when withheld or not E.164. */
      readonly from?: string;
      /** The number the caller dialled, E.164 (one of the accepted inbound numbers). */
      readonly to: string;
    };

/** Why {@link Trunk.reject} refuses an inbound call: SIP 486, 480 and 603 respectively. */
export type InboundRejectReason = 'busy' | 'unavailable' | 'declined';

/**
 * A telephony trunk: places calls and reports their progress. The three inbound methods are
 * optional: a trunk without them takes no inbound calls (and refuses them at the network).
 */
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
  /**
   * Inbound: the E.164 numbers whose incoming calls the trunk offers as `incoming` events
   * (campaigns' caller IDs and service lines); calls to any other number are refused at the
   * network. Each call replaces the previous set; an empty set takes no inbound calls.
   */
  acceptInbound?(numbers: readonly string[]): void;
  /** Inbound: answer an offered call (SIP 200 OK). Audio then flows as on an answered outbound call. */
  answer?(callId: string): Promise<void>;
  /**
   * AMD listen-back (optional): keep the audio call analysis heard on this answered call (from
   * the answer on) for a person to review. Resolves with where it is (a file path, or an id the
   * host resolves) once the call has ended and the audio is stored.
   */
  keepAnalysisAudio?(callId: string): Promise<string>;
  /** Inbound: refuse an offered call that is not answered yet. The trunk reports no `ended` for it. */
  reject?(callId: string, reason: InboundRejectReason): Promise<void>;
}
