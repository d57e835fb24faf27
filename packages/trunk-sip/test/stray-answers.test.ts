import { seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import { IncomingResponseMessage, LoggerFactory, Parser, URI, type UserAgentCore } from 'sip.js/lib/core/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipTransport } from '../src/sip/sip-transport';
import { StrayAnswers, strayWindowMs } from '../src/sip/stray-answers';
import { createUserAgentCore } from '../src/sip/user-agent';

// The memory behind the late-2xx ACK and BYE (RFC 3261 13.2.2.4): what it matches, how long and
// how much it remembers, and that a retransmitted 2xx is ACKed again but not BYEd again.
// carrier-late-2xx.test.ts runs it against SIPp.

/** The harness's T1: an ended INVITE is remembered strayWindowMs(T1), a re-INVITE's ACK 64·T1. */
const T1 = 100;

const cores: UserAgentCore[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.dispose();
});

function line() {
  const sent: string[] = [];
  const transport = {
    protocol: 'UDP',
    localAddress: '127.0.0.1',
    localPort: 5099,
    send: async (message: string) => {
      sent.push(message);
    },
  };
  const core = createUserAgentCore({ id: 't', host: '127.0.0.1', port: 5060 }, transport as unknown as SipTransport, 480);
  cores.push(core);
  return { core, transport, sent, methods: () => sent.map((m) => m.split(' ')[0]) };
}

function invite(l: ReturnType<typeof line>, callId: string) {
  return l.core.makeOutgoingRequestMessage(
    'INVITE',
    new URI('sip', '+14155550001', '127.0.0.1', 5060),
    new URI('sip', '+14155550100', '127.0.0.1'),
    new URI('sip', '+14155550001', '127.0.0.1'),
    { callId, cseq: 7 },
  );
}

function ok(callId: string, fromTag: string, toTag: string, cseq = 7): IncomingResponseMessage {
  const text = [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKgone',
    `From: <sip:+14155550100@127.0.0.1>;tag=${fromTag}`,
    `To: <sip:+14155550001@127.0.0.1>;tag=${toTag}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} INVITE`,
    'Contact: <sip:callee@127.0.0.2:5070>',
    'Record-Route: <sip:p1@127.0.0.3;lr>',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const message = Parser.parseMessage(text, new LoggerFactory().getLogger('test'));
  if (!(message instanceof IncomingResponseMessage)) throw new Error('not a response');
  return message;
}

describe('StrayAnswers', () => {
  it('ACKs (to the Contact, with the Route set) and BYEs a late 2xx to an ended INVITE; a retransmission is ACKed again only', () => {
    const clock = new VirtualClock(0);
    const strays = new StrayAnswers(clock, seededRandom(1), silentLogger, T1);
    const l = line();
    const sent = invite(l, 'c1');
    strays.sent(l, sent);
    strays.ended('c1');
    expect(strays.receive(l, ok('c1', sent.fromTag, 'x1'))).toBe(true);
    expect(l.methods()).toEqual(['ACK', 'BYE']);
    expect(l.sent[0]).toMatch(/^ACK sip:callee@127\.0\.0\.2:5070 SIP\/2\.0\r\n/);
    expect(l.sent[0]).toMatch(/\r\nRoute: <sip:p1@127\.0\.0\.3;lr>\r\n/);
    expect(l.sent[0]).toMatch(/\r\nCSeq: 7 ACK\r\n/);
    expect(l.sent[1]).toMatch(/\r\nCSeq: 8 BYE\r\n/);
    expect(l.sent[1]).toMatch(/\r\nTo: <sip:\+14155550001@127\.0\.0\.1>;tag=x1\r\n/);
    strays.receive(l, ok('c1', sent.fromTag, 'x1'));
    expect(l.methods()).toEqual(['ACK', 'BYE', 'ACK']);
    strays.receive(l, ok('c1', sent.fromTag, 'x2')); // another fork
    expect(l.methods()).toEqual(['ACK', 'BYE', 'ACK', 'ACK', 'BYE']);
  });

  it('answers nothing for another From tag, another CSeq, or a Call-ID never sent', () => {
    const strays = new StrayAnswers(new VirtualClock(0), seededRandom(1), silentLogger, T1);
    const l = line();
    const sent = invite(l, 'c1');
    strays.sent(l, sent);
    strays.ended('c1');
    expect(strays.receive(l, ok('c1', 'someone-else', 'x1'))).toBe(true);
    expect(strays.receive(l, ok('c1', sent.fromTag, 'x1', 9))).toBe(true);
    expect(strays.receive(l, ok('c2', sent.fromTag, 'x1'))).toBe(true);
    expect(l.sent).toEqual([]);
  });

  it('forgets an ended INVITE after the window, and the oldest ones beyond the cap', () => {
    const clock = new VirtualClock(0);
    const strays = new StrayAnswers(clock, seededRandom(1), silentLogger, T1, 3);
    const l = line();
    const sent = ['a', 'b', 'c', 'd', 'e'].map((id) => invite(l, id));
    for (const message of sent) strays.sent(l, message);
    expect(strays.size).toBe(5); // live calls are all remembered
    for (const message of sent) strays.ended(message.callId);
    expect(strays.size).toBe(3); // a and b forgotten
    strays.receive(l, ok('a', sent[0]?.fromTag ?? '', 'x'));
    expect(l.sent).toEqual([]);
    clock.advance(strayWindowMs(T1) - 1);
    strays.receive(l, ok('c', sent[2]?.fromTag ?? '', 'x'));
    expect(l.methods()).toEqual(['ACK', 'BYE']);
    clock.advance(1);
    strays.receive(l, ok('d', sent[3]?.fromTag ?? '', 'x'));
    expect(l.methods()).toEqual(['ACK', 'BYE']);
    expect(strays.size).toBe(0);
  });

  it('sends the ACK of a session refresh again when its 2xx comes again, for 64·T1, in that dialog only', () => {
    const clock = new VirtualClock(0);
    const strays = new StrayAnswers(clock, seededRandom(1), silentLogger, T1);
    const l = line();
    const sent = invite(l, 'c1');
    strays.sent(l, sent);
    const refresh = ok('c1', sent.fromTag, 'x1', 9); // the 2xx to our re-INVITE of CSeq 9, its transaction dropped
    const ack = l.core.makeOutgoingRequestMessage('ACK', new URI('sip', 'callee', '127.0.0.2', 5070), sent.from.uri, sent.to.uri, {
      callId: 'c1',
      cseq: 9,
    });
    strays.acked(l, refresh, ack);
    expect(strays.receive(l, ok('c1', sent.fromTag, 'x1', 9))).toBe(true);
    expect(l.sent).toEqual([ack.toString()]); // the same ACK, no BYE: the call goes on
    expect(strays.receive(l, ok('c1', sent.fromTag, 'other-dialog', 9))).toBe(true);
    expect(strays.receive(l, ok('c1', sent.fromTag, 'x1', 10))).toBe(true); // a CSeq we never ACKed
    expect(l.sent).toHaveLength(1);
    strays.ended('c1'); // the call ended: the ACK is still owed while the 2xx may come
    clock.advance(64 * T1 - 1);
    strays.receive(l, ok('c1', sent.fromTag, 'x1', 9));
    expect(l.sent).toEqual([ack.toString(), ack.toString()]);
    clock.advance(1);
    strays.receive(l, ok('c1', sent.fromTag, 'x1', 9));
    expect(l.sent).toHaveLength(2);
  });
});
