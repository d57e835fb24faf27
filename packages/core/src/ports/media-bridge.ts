/** How {@link MediaBridge.playToCaller} plays a message. */
export interface MediaPlayOptions {
  /** Repeat until stopped or until an agent is bridged (hold audio); default false. */
  readonly loop?: boolean;
}

/** Connects a call's audio to an agent's audio (e.g. RTP ⇄ WebRTC); the agent desk hears the caller. */
export interface MediaBridge {
  /** Bridge the call's audio to the agent; resolves when audio flows both ways. */
  connect(callId: string, agentId: string): Promise<void>;
  /**
   * Tear down the bridge for a call. The engine calls it when a call it connected ends;
   * a host may call it too, so it must be idempotent (a no-op for an unknown call).
   */
  disconnect(callId: string): Promise<void>;
  /** Release resources. */
  close(): Promise<void>;
  /**
   * Optional: play a message (e.g. the safe-harbour message, hold audio) to a caller who is
   * not bridged to an agent. Resolves when it has been played (a looped one: when it stops).
   */
  playToCaller?(callId: string, messageId: string, options?: MediaPlayOptions): Promise<void>;
}
