import { VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { FinalResponse, T4_MS } from '../src/inbound/final-response';
import { toE164 } from '../src/inbound/inbound-identity';

describe('inbound numbers as E.164', () => {
  const accepted = new Set(['+14155550100', '+442079460000']);
  it.each([
    ['+14155550100', '+14155550100'],
    ['+1-415-555-0100', '+14155550100'],
    ['+1%20(415)%20555-0100', '+14155550100'],
    ['+14155550100;npdi;rn=+14155559999', '+14155550100'],
    ['0044 20 7946 0000', '+442079460000'],
    ['14155550100', '+14155550100'], // a carrier that strips the +: only for an accepted number
    ['14155550199', undefined],
    ['anonymous', undefined],
    ['+0123456789', undefined],
    ['+1415', undefined],
    ['%E0%A4%A', undefined], // bad percent-encoding
    [undefined, undefined],
  ])('%s → %s', (user, want) => {
    expect(toE164(user, accepted)).toBe(want);
  });
});

describe('FinalResponse: RFC 3261 Timer G/H/I and the 2xx rule on the injected clock', () => {
  const timers = { t1Ms: 500, t2Ms: 4_000 };
  const run = (kind: '2xx' | 'non-2xx', reliable: boolean) => {
    const clock = new VirtualClock(0);
    const sent: number[] = [];
    const log: string[] = [];
    const response = new FinalResponse({
      clock,
      timers,
      kind,
      reliable,
      send: () => sent.push(clock.now()),
      onNoAck: () => log.push(`no-ack@${clock.now()}`),
      onDone: () => log.push(`done@${clock.now()}`),
    });
    return { clock, sent, log, response };
  };

  it('resends a non-2xx over UDP at T1, 2·T1, … capped at T2, and gives up at 64·T1 (Timer H)', () => {
    const { clock, sent, log, response } = run('non-2xx', false);
    clock.advance(64 * 500);
    expect(sent.slice(0, 6)).toEqual([0, 500, 1_500, 3_500, 7_500, 11_500]);
    expect(sent.slice(5).every((t, i, all) => i === 0 || t - (all[i - 1] as number) === 4_000)).toBe(true);
    expect(log).toEqual(['done@32000', 'no-ack@32000']); // the transaction is over, then the call hears of it
    expect(response.pending).toBe(false);
    clock.advance(60_000);
    expect(sent.at(-1)).toBeLessThan(32_000); // nothing after Timer H
  });

  it('stops at the ACK and absorbs retransmitted ACKs for T4 (Timer I), or 0 on TCP', () => {
    const udp = run('non-2xx', false);
    udp.clock.advance(1_000);
    udp.response.ack();
    udp.clock.advance(T4_MS - 1);
    expect(udp.response.pending).toBe(true);
    expect(udp.sent).toEqual([0, 500]);
    udp.clock.advance(1);
    expect(udp.log).toEqual([`done@${1_000 + T4_MS}`]);
    const tcp = run('non-2xx', true);
    tcp.clock.advance(10_000);
    expect(tcp.sent).toEqual([0]); // no Timer G on a reliable transport
    tcp.response.ack();
    expect(tcp.log).toEqual(['done@10000']);
  });

  it('resends a 2xx until the ACK on any transport (13.3.1.4), and reports no ACK at 64·T1', () => {
    const tcp = run('2xx', true);
    tcp.clock.advance(3_600);
    expect(tcp.sent).toEqual([0, 500, 1_500, 3_500]);
    tcp.response.resend(); // a retransmitted INVITE
    expect(tcp.sent).toHaveLength(5);
    tcp.response.ack();
    expect(tcp.log).toEqual(['done@3600']);
    const lost = run('2xx', false);
    lost.clock.advance(64 * 500);
    expect(lost.log).toEqual(['done@32000', 'no-ack@32000']);
  });
});
