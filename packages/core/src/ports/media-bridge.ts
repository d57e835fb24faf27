/** Connects a call's audio to an agent's audio (e.g. RTP ⇄ WebRTC); the agent desk hears the caller. */
export interface MediaBridge {
  /** Bridge the call's audio to the agent; resolves when audio flows both ways. */
  connect(callId: string, agentId: string): Promise<void>;
  /** Tear down the bridge for a call. */
  disconnect(callId: string): Promise<void>;
  /** Release resources. */
  close(): Promise<void>;
}
