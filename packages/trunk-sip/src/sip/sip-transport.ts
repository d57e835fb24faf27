import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import type { Clock } from '@paceline/core';
import type { Transport } from 'sip.js/lib/core/index.js';
import { Retransmitter, type TransactionTimeout } from './retransmitter';
import type { SipTimerValues } from './sip-timers';
import { TcpFramer } from './tcp-framer';

/** Where and how one transport talks to a trunk. */
export interface SipTransportOptions {
  readonly protocol: 'udp' | 'tcp' | 'tls';
  readonly host: string;
  readonly port: number;
  /** Further addresses the carrier sends SIP from over UDP (beside `host`'s own). */
  readonly peers?: readonly string[];
  /** Certificate checks for `tls` (never disabled): CA to trust, name to verify, client certificate. */
  readonly tls?: { readonly ca?: string; readonly servername?: string; readonly cert?: string; readonly key?: string };
  /** Local address to bind; the address put in Via, Contact and SDP is discovered from the route. */
  readonly bindAddress: string;
  readonly clock: Clock;
  readonly timers: SipTimerValues;
  /** Every complete SIP message received from the trunk (over UDP: only from its addresses). */
  readonly onMessage: (message: string) => void;
  /** Timer B or F fired. */
  readonly onTimeout: TransactionTimeout;
  /** The connection failed or dropped (TCP), or a send failed. */
  readonly onError: (error: Error) => void;
  /** A TCP/TLS connection to the carrier closed (requests in flight on it will get no response). */
  readonly onConnectionLost?: () => void;
  /** A request could not be sent at all (connection refused, TLS handshake failed): RFC 3261 8.1.3.1. */
  readonly onSendFailed?: (callId: string, method: string, error: Error) => void;
}

/** The largest SIP message read (RFC 3261 18.1.1 keeps UDP messages far below this). */
const MAX_MESSAGE_BYTES = 65_535;

/**
 * The SIP.js `Transport` for one trunk, over a UDP socket, a TCP connection or a TLS connection
 * (RFC 3261 26.2, the certificate checked against `tls.ca` or the system's CAs and the trunk's
 * name). On UDP it runs RFC 3261's client retransmission timers, which SIP.js's core leaves to
 * the transport, and reads only datagrams from the carrier's addresses: anything else is dropped
 * before parsing (counted in `droppedForeign`).
 */
export class SipTransport implements Transport {
  readonly protocol: string;
  readonly #options: SipTransportOptions;
  readonly #retransmitter: Retransmitter;
  #udp: dgram.Socket | undefined;
  #tcp: net.Socket | undefined;
  #peers = new Set<string>();
  #droppedForeign = 0;
  #localAddress = '127.0.0.1';
  #localPort = 0;
  #closed = false;

  constructor(options: SipTransportOptions) {
    this.#options = options;
    this.protocol = options.protocol.toUpperCase();
    this.#retransmitter = new Retransmitter(options.clock, options.timers, options.onTimeout);
  }

  /** The address peers should send to (Via sent-by, Contact, SDP connection). */
  get localAddress(): string {
    return this.#localAddress;
  }

  get localPort(): number {
    return this.#localPort;
  }

  /** True while a socket is open. */
  get isOpen(): boolean {
    return this.#udp !== undefined || this.#tcp !== undefined;
  }

  /** UDP datagrams dropped because they came from an address that is not the carrier's. */
  get droppedForeign(): number {
    return this.#droppedForeign;
  }

  /** Client transactions still awaiting a response. */
  get pendingTransactions(): number {
    return this.#retransmitter.size;
  }

  /** Bind (UDP) or connect (TCP). */
  async open(): Promise<void> {
    this.#localAddress = await routeAddress(this.#options.host, this.#options.port, this.#options.bindAddress);
    if (this.#options.protocol === 'udp') {
      const resolved = await lookup(this.#options.host, { all: true });
      this.#peers = new Set([...resolved.map((a) => a.address), ...(this.#options.peers ?? [])]);
      const socket = dgram.createSocket('udp4');
      socket.on('message', (data, from) => {
        // Only the carrier speaks SIP to us; a forged response could end or hijack a call.
        if (!this.#peers.has(from.address) || data.length > MAX_MESSAGE_BYTES) {
          this.#droppedForeign++;
          return;
        }
        this.#receive(data.toString('utf8'));
      });
      socket.on('error', (error) => this.#options.onError(error));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, this.#options.bindAddress, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      this.#udp = socket;
      this.#localPort = socket.address().port;
    } else {
      await this.#connectTcp();
    }
  }

  async #connectTcp(): Promise<net.Socket> {
    const { host, port, bindAddress } = this.#options;
    const secure = this.#options.protocol === 'tls';
    const settings = this.#options.tls ?? {};
    const socket = secure
      ? tls.connect({
          socket: net.connect({ host, port, localAddress: bindAddress }),
          host,
          port,
          // RFC 3261 26.3.1 / RFC 5922: the carrier's certificate must chain to a trusted CA and name it.
          rejectUnauthorized: true,
          ...(settings.ca !== undefined && { ca: settings.ca }),
          ...(settings.cert !== undefined && { cert: settings.cert }),
          ...(settings.key !== undefined && { key: settings.key }),
          ...(settings.servername !== undefined ? { servername: settings.servername } : net.isIP(host) === 0 && { servername: host }),
        })
      : net.connect({ host, port, localAddress: bindAddress });
    const framer = new TcpFramer();
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let messages: string[];
      try {
        messages = framer.push(chunk);
      } catch (error) {
        // A stream that cannot be framed cannot be resynchronised: drop the connection.
        this.#options.onError(asError(error));
        socket.destroy();
        return;
      }
      for (const message of messages) this.#receive(message);
    });
    socket.on('error', (error) => this.#options.onError(error));
    socket.on('close', () => {
      if (this.#tcp !== socket) return;
      this.#tcp = undefined;
      if (!this.#closed) this.#options.onConnectionLost?.();
    });
    this.#tcp = socket;
    this.#localPort = socket.localPort ?? 0;
    return socket;
  }

  /** SIP.js hands every outgoing message here. */
  async send(message: string): Promise<void> {
    if (this.#closed) throw new Error('sip transport closed');
    const request = /^([A-Z]+) \S+ SIP\/2\.0\r\n/.exec(message);
    const branch = /^(?:via|v)[ \t]*:[^\r\n]*?;branch=([^;,\s]+)/im.exec(message)?.[1];
    const callId = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(message)?.[1];
    try {
      await this.#write(message);
    } catch (error) {
      // SIP.js's INVITE transaction only logs a failed send; the trunk must hear of it to fail over.
      if (request?.[1] && callId) this.#options.onSendFailed?.(callId, request[1], asError(error));
      throw error;
    }
    if (request?.[1] && branch && callId) {
      const retransmit = this.#options.protocol === 'udp';
      this.#retransmitter.track(branch, request[1], callId, retransmit, () => {
        this.#write(message).catch((error: unknown) => this.#options.onError(asError(error)));
      });
    }
  }

  /** Stop the timers of a finished call's transactions. */
  forgetCall(callId: string): void {
    this.#retransmitter.forgetCall(callId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#retransmitter.clear();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcp) await new Promise<void>((resolve) => tcp.end(() => resolve()).destroy());
  }

  async #write(message: string): Promise<void> {
    const data = Buffer.from(message, 'utf8');
    if (this.#options.protocol === 'udp') {
      const socket = this.#udp;
      if (!socket) throw new Error('sip transport not open');
      const to = this.#responseTarget(message) ?? { address: this.#options.host, port: this.#options.port };
      await new Promise<void>((resolve, reject) => socket.send(data, to.port, to.address, (error) => (error ? reject(error) : resolve())));
      return;
    }
    const socket = this.#tcp ?? (await this.#connectTcp());
    await new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /**
   * RFC 3261 18.2.2 / RFC 3581 4: over UDP a response goes to the top Via's `received` address
   * (else its host) and `rport` (else its port) — but only to one of the carrier's addresses,
   * so a forged Via cannot turn us into a reflector. Undefined for requests.
   */
  #responseTarget(message: string): { address: string; port: number } | undefined {
    if (!message.startsWith('SIP/2.0 ')) return undefined;
    const via = /^(?:via|v)[ \t]*:[ \t]*SIP\/2\.0\/UDP[ \t]+([^;:\s,]+)(?::(\d+))?([^\r\n,]*)/im.exec(message);
    if (!via?.[1]) return undefined;
    const params = via[3] ?? '';
    const address = /;received=([^;\s,]+)/i.exec(params)?.[1] ?? via[1];
    const port = Number(/;rport=(\d+)/i.exec(params)?.[1] ?? via[2] ?? 5060);
    if (!this.#peers.has(address) || !(port > 0 && port < 65_536)) return undefined;
    return { address, port };
  }

  #receive(message: string): void {
    const status = /^SIP\/2\.0 (\d{3}) /.exec(message)?.[1];
    if (status) {
      const branch = /^(?:via|v)[ \t]*:[^\r\n]*?;branch=([^;,\s]+)/im.exec(message)?.[1];
      if (branch) this.#retransmitter.onResponse(branch, Number(status));
    }
    this.#options.onMessage(message);
  }
}

/** The local address the OS would use to reach `host` (a connected UDP socket sends nothing). */
async function routeAddress(host: string, port: number, bindAddress: string): Promise<string> {
  if (bindAddress !== '0.0.0.0') return bindAddress;
  const probe = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.connect(port, host, () => resolve());
    });
    return probe.address().address;
  } finally {
    probe.close();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
