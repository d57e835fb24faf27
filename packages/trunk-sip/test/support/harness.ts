import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { seededRandom, systemClock, type TrunkEvent } from '@paceline/core';
import { expect } from 'vitest';
import { createSipTrunk, type SipTrunk, type SipTrunkOptions } from '../../src/index';

/** One trunk under test on real time, its events, and leak checks. */
export interface Harness {
  readonly trunk: SipTrunk;
  readonly events: TrunkEvent[];
  /** Place a call; resolves with its id once `originate` resolves (rejects as originate does). */
  call(to: string, ringTimeoutMs?: number): Promise<string>;
  of(callId: string): TrunkEvent[];
  ended(callId: string): Extract<TrunkEvent, { type: 'ended' }> | undefined;
  /** When the call's first event of `type` came (Clock ms). */
  at(callId: string, type: TrunkEvent['type']): number | undefined;
  /** Wait (polling every 50 ms) until `predicate` holds, at most `maxMs`; fails the test otherwise. */
  until(predicate: () => boolean, maxMs: number): Promise<void>;
  /**
   * Every call ended exactly once, and no call, queued INVITE, transaction or dialog is left
   * (waiting up to `maxMs` for lingering transactions: a completed non-INVITE transaction
   * absorbs retransmissions for T4 = 5 s, RFC 3261 17.1.2.2 Timer K); then close() frees every socket.
   */
  clean(maxMs?: number): Promise<void>;
}

let serial = 0;

/** A trunk with T1 = 100 ms (Timer B/F at 6.4 s) on the system clock; `options.trunks` required. */
export async function harness(options: Partial<SipTrunkOptions> & Pick<SipTrunkOptions, 'trunks'>): Promise<Harness> {
  const trunk = await createSipTrunk({ clock: systemClock(), random: seededRandom(++serial), sipTimers: { t1Ms: 100 }, ...options });
  // Nothing before the first call: only the SIP sockets are open.
  const idle = trunk.stats();
  expect({ calls: idle.callsInFlight, transactions: idle.transactions, dialogs: idle.dialogs }).toEqual({
    calls: 0,
    transactions: 0,
    dialogs: 0,
  });
  expect(idle.openSockets).toBeLessThanOrEqual(options.trunks.length); // a TCP peer may have hung up already
  const events: TrunkEvent[] = [];
  trunk.onEvent((event) => events.push(event));
  const placed: string[] = [];
  const of = (callId: string) => events.filter((e) => e.callId === callId);
  const until = async (predicate: () => boolean, maxMs: number) => {
    for (let waited = 0; !predicate() && waited < maxMs; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(predicate()).toBe(true);
  };
  return {
    trunk,
    events,
    async call(to, ringTimeoutMs = 15_000) {
      const callId = `h${serial}-${placed.length + 1}`;
      placed.push(callId);
      await trunk.originate({ callId, campaignId: 'c', to, callerId: '+14155550100', ringTimeoutMs });
      return callId;
    },
    of,
    ended: (callId) => of(callId).find((e): e is Extract<TrunkEvent, { type: 'ended' }> => e.type === 'ended'),
    at: (callId, type) => of(callId).find((e) => e.type === type)?.at,
    until,
    async clean(maxMs = 9_000) {
      const leftovers = () => {
        const s = trunk.stats();
        return {
          calls: s.callsInFlight,
          queued: s.queuedInvites,
          transactions: s.transactions,
          invites: s.pendingInvites,
          dialogs: s.dialogs,
        };
      };
      for (let waited = 0; Object.values(leftovers()).some((n) => n > 0) && waited < maxMs; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(leftovers()).toEqual({ calls: 0, queued: 0, transactions: 0, invites: 0, dialogs: 0 });
      // One `ended` per call whose originate resolved; none for one that was refused.
      for (const callId of placed) expect(of(callId).filter((e) => e.type === 'ended').length).toBeLessThanOrEqual(1);
      await trunk.close();
      expect(trunk.stats().openSockets).toBe(0);
    },
  };
}

/** The INVITEs (one per Call-ID) a SIPp run's `-trace_msg` file shows arriving: when each first came (ms). */
export function invitesIn(messageFile: string): number[] {
  let text = '';
  try {
    text = readFileSync(messageFile, 'utf8');
  } catch {
    return [];
  }
  const times: number[] = [];
  const seen = new Set<string>();
  // SIPp 3.6: "-----… 2026-12-05 03:59:50.131251\nUDP message received [171] bytes :\n\nINVITE sip:…"
  for (const block of text.split(/^-{10,} /m)) {
    if (!/^[^\n]*\n\w+ message received[^\n]*\n\s*\nINVITE /.test(block)) continue;
    const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(block);
    // One per Call-ID: a retransmission (Timer A) is the same INVITE. Millisecond precision.
    const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(block)?.[1];
    if (!stamp || callId === undefined || seen.has(callId)) continue;
    seen.add(callId);
    times.push(Date.parse(`${stamp[1]}T${stamp[2]?.slice(0, 12)}Z`));
  }
  return times;
}

/** When each INVITE (first transmission, by Call-ID) left the socket bound to `localPort`, read at the socket. */
export function recordInviteSends(localPort: number): { times: Map<string, number>; stop: () => void } {
  const times = new Map<string, number>();
  const original = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function send(this: dgram.Socket, ...args: unknown[]) {
    const data = args[0];
    if (Buffer.isBuffer(data) && this.address().port === localPort && data.subarray(0, 7).toString('latin1') === 'INVITE ') {
      const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(data.toString('latin1'))?.[1];
      if (callId && !times.has(callId)) times.set(callId, performance.timeOrigin + performance.now());
    }
    return (original as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.send;
  return { times, stop: () => (dgram.Socket.prototype.send = original) };
}
