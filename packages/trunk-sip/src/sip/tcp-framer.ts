/** The largest SIP message framed; a peer sending more is broken or hostile. */
const MAX_MESSAGE_BYTES = 65_535;

/**
 * Splits a TCP byte stream into SIP messages. RFC 3261 18.3: on a stream transport the
 * Content-Length header marks where each message's body ends.
 */
export class TcpFramer {
  #buffer: Buffer = Buffer.alloc(0);

  /** Feed received bytes; returns every complete message now available. Throws on a stream that cannot be framed. */
  push(chunk: Buffer): string[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const messages: string[] = [];
    for (;;) {
      // RFC 3261 7.5: CRLF keep-alives between messages are ignored.
      while (this.#buffer.length >= 2 && this.#buffer[0] === 0x0d && this.#buffer[1] === 0x0a) this.#buffer = this.#buffer.subarray(2);
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        if (this.#buffer.length > MAX_MESSAGE_BYTES) throw new Error(`sip over tcp: no end of headers within ${MAX_MESSAGE_BYTES} bytes`);
        break;
      }
      const head = this.#buffer.subarray(0, headerEnd).toString('utf8');
      const match = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)/im.exec(head);
      const bodyLength = match?.[1] ? Number(match[1]) : 0;
      if (bodyLength > MAX_MESSAGE_BYTES) throw new Error(`sip over tcp: Content-Length ${bodyLength} is over ${MAX_MESSAGE_BYTES}`);
      const total = headerEnd + 4 + bodyLength;
      if (this.#buffer.length < total) break;
      messages.push(this.#buffer.subarray(0, total).toString('utf8'));
      this.#buffer = this.#buffer.subarray(total);
    }
    return messages;
  }
}
