import type { CallLegs, Logger, Random } from '@paceline/core';
import { LegRelay } from './leg-relay';
import type { RtpSession } from './rtp-session';

/** What a call needs for its leg: an outbound `SipCall` or an inbound call has it. */
export interface LinkedCall {
  readonly request: { readonly callId: string };
  readonly state: string;
  readonly rtp: RtpSession | undefined;
  relay: LegRelay | undefined;
}

/**
 * The answered calls' links to the media plane (`CallLegs`): each call's leg opened at the
 * answer, its carrier audio relayed in and the leg's audio sent to the carrier, closed when the
 * call ends.
 */
export class LegLinks {
  /** Relays open now (their sockets count in `stats().openSockets`). */
  readonly relays = new Set<LegRelay>();
  readonly #relayAddress: string;
  readonly #random: Random;
  readonly #log: Logger;

  constructor(relayAddress: string, random: Random, log: Logger) {
    // The media plane runs in this process: reach it on loopback unless told a specific address.
    this.#relayAddress = relayAddress === '0.0.0.0' || relayAddress === '::' ? '127.0.0.1' : relayAddress;
    this.#random = random;
    this.#log = log;
  }

  /**
   * Open `call`'s leg and relay its RTP both ways until the call ends. Never rejects: when the
   * leg cannot be opened the call goes on without agent audio (the engine's connect fails and
   * it abandons in time).
   */
  async open(call: LinkedCall, legs: CallLegs): Promise<void> {
    const callId = call.request.callId;
    let relay: LegRelay;
    try {
      relay = await LegRelay.open({
        callId,
        legs,
        bindAddress: this.#relayAddress,
        random: this.#random,
        onFromLeg: (packet) => call.rtp?.sendRelayed(packet),
      });
    } catch (error) {
      this.#log.warn({ callId, err: error }, 'media plane: could not open the call leg');
      return;
    }
    this.relays.add(relay);
    if (call.state !== 'answered' || !call.rtp) {
      await this.close(relay); // the call ended while the leg was opening
      return;
    }
    call.relay = relay;
    call.rtp.relayTo((packet) => relay.forward(packet));
  }

  /** Close a call's leg; a failure is logged, never thrown. */
  async close(relay: LegRelay): Promise<void> {
    try {
      await relay.close();
    } catch (error) {
      this.#log.warn({ callId: relay.leg.callId, err: error }, 'media plane: could not close the call leg');
    } finally {
      this.relays.delete(relay);
    }
  }
}
