/** RFC 3261 17.1.1.1 / Table 4: the transaction timer values, in milliseconds. */
export interface SipTimerValues {
  /** RTT estimate; Timer A and Timer E start here. */
  readonly t1Ms: number;
  /** The maximum retransmit interval for non-INVITE requests. */
  readonly t2Ms: number;
}

/** RFC 3261 Table 4 defaults: T1 = 500 ms, T2 = 4 s. */
export const DEFAULT_SIP_TIMERS: SipTimerValues = { t1Ms: 500, t2Ms: 4_000 };
