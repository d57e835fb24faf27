/** The header fields the restamper reads from a relayed packet (RFC 3550 5.1). */
export interface RtpSourceStamp {
  readonly ssrc: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
}

/** Sequence number, timestamp and marker of one outgoing packet. */
export interface RtpStamp {
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
}

/**
 * One outgoing RTP stream made of packets from several sources: our own frames (prompts)
 * and packets relayed from elsewhere (the carrier's, the media bridge's), whose SSRC changes
 * when their sender does (a new consumer per bridged agent, hold audio, a carrier moving the
 * call to another media server). The receiver sees one SSRC whose sequence numbers and
 * timestamps continue across every switch (RFC 3550 5.1: both start anew only with a new
 * SSRC), with the marker bit on the first packet after one (RFC 3551 4.1: a talkspurt
 * begins); within one source, its own gaps (loss, silence) are kept.
 */
export class RtpRestamper {
  /** The SSRC of the outgoing stream. */
  readonly ssrc: number;
  #nextSequence: number;
  #nextTimestamp: number;
  #source: number | undefined;
  #sequenceOffset = 0;
  #timestampOffset = 0;

  constructor(ssrc: number, firstSequence: number, firstTimestamp: number) {
    this.ssrc = ssrc >>> 0;
    this.#nextSequence = firstSequence & 0xffff;
    this.#nextTimestamp = firstTimestamp >>> 0;
  }

  /** Stamp one of our own frames of `samples` samples (8 kHz G.711: one per payload byte). */
  own(samples: number, marker = false): RtpStamp {
    this.#source = undefined; // the next relayed packet continues from here
    const stamp = { sequenceNumber: this.#nextSequence, timestamp: this.#nextTimestamp, marker };
    this.#nextSequence = (this.#nextSequence + 1) & 0xffff;
    this.#nextTimestamp = (this.#nextTimestamp + samples) >>> 0;
    return stamp;
  }

  /** Stamp a relayed packet of `samples` samples that arrived with `source`'s header. */
  relay(source: RtpSourceStamp, samples: number): RtpStamp {
    let marker = false;
    if (source.ssrc !== this.#source) {
      this.#source = source.ssrc;
      this.#sequenceOffset = (this.#nextSequence - source.sequenceNumber) & 0xffff;
      this.#timestampOffset = (this.#nextTimestamp - source.timestamp) >>> 0;
      marker = true;
    }
    const sequenceNumber = (source.sequenceNumber + this.#sequenceOffset) & 0xffff;
    const timestamp = (source.timestamp + this.#timestampOffset) >>> 0;
    // RFC 3550 A.1: serial-number arithmetic; a late, reordered packet does not move the stream back.
    if (((sequenceNumber - this.#nextSequence) & 0xffff) < 0x8000) {
      this.#nextSequence = (sequenceNumber + 1) & 0xffff;
      this.#nextTimestamp = (timestamp + samples) >>> 0;
    }
    return { sequenceNumber, timestamp, marker };
  }
}
