import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock } from '@paceline/core';
import type { Transport } from 'sip.js/lib/core/index.js';
import { Retransmitter, type TransactionTimeout } from './retransmitter';
import type { SipTimerValues } from './sip-timers';
import { TcpFramer } from './tcp-framer';

/** Where and how one transport talks to a trunk. */
export interface SipTransportOptions {
  readonly protocol: 'udp' | 'tcp';
  readonly host: string;
  readonly port: number;
  /** Local address to bind; the address put in Via, Contact and SDP is discovered from the route. */
  readonly bindAddress: string;
  readonly clock: Clock;
  readonly timers: SipTimerValues;
  /** Every complete SIP message received from the trunk. */
  readonly onMessage: (message: string) => void;
  /** Timer B or F fired. */
  readonly onTimeout: TransactionTimeout;
  /** The connection failed or dropped (TCP), or a send failed. */
  readonly onError: (error: Error) => void;
}

/**
 * The SIP.js `Transport` for one trunk, over a UDP socket or a TCP connection. On UDP it runs
 * RFC 3261's client retransmission timers, which SIP.js's core leaves to the transport.
 */
export class SipTransport implements Transport {
  readonly protocol: string;
  readonly #options: SipTransportOptions;
  readonly #retransmitter: Retransmitter;
  #udp: dgram.Socket | undefined;
  #tcp: net.Socket | undefined;
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

  /** Client transactions still awaiting a response. */
  get pendingTransactions(): number {
    return this.#retransmitter.size;
  }

  /** Bind (UDP) or connect (TCP). */
  async open(): Promise<void> {
    this.#localAddress = await routeAddress(this.#options.host, this.#options.port, this.#options.bindAddress);
    if (this.#options.protocol === 'udp') {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (data) => this.#receive(data.toString('utf8')));
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
    const socket = net.connect({ host: this.#options.host, port: this.#options.port, localAddress: this.#options.bindAddress });
    const framer = new TcpFramer();
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const message of framer.push(chunk)) this.#receive(message);
    });
    socket.on('error', (error) => this.#options.onError(error));
    socket.on('close', () => {
      if (this.#tcp === socket) this.#tcp = undefined;
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
    await this.#write(message);
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
      await new Promise<void>((resolve, reject) =>
        socket.send(data, this.#options.port, this.#options.host, (error) => (error ? reject(error) : resolve())),
      );
      return;
    }
    const socket = this.#tcp ?? (await this.#connectTcp());
    await new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
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
