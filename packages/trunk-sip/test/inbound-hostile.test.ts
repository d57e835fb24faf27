import dgram from 'node:dgram';
import { type Random, seededRandom, type TrunkEvent } from '@paceline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness } from './support/harness';

// Whatever a carrier (or anyone spoofing one) sends as an inbound INVITE: a clean 400, 480 or
// 488 for what cannot be taken, nothing from the network copied raw into a header of ours, an
// `incoming` event only for a well-formed call to an accepted number, and nothing left behind.

const LINE = '+14155550100';
let carrier: dgram.Socket;
const responses = new Map<string, string[]>();

interface InviteParts {
  callId: string;
  ruri?: string;
  from?: string;
  to?: string;
  via?: string;
  contact?: string | null;
  extra?: string[];
  contentType?: string;
  sdp?: string | null;
}

const SDP = ['v=0', 'o=fuzz 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', ''].join('\r\n');

function invite(port: number, p: InviteParts): string {
  const body = p.sdp === null ? '' : (p.sdp ?? SDP);
  const lines = [
    `INVITE ${p.ruri ?? `sip:${LINE}@127.0.0.1`} SIP/2.0`,
    `Via: ${p.via ?? `SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${p.callId}`}`,
    `From: ${p.from ?? '<sip:+14155550199@127.0.0.1>;tag=f1'}`,
    `To: ${p.to ?? `<sip:${LINE}@127.0.0.1>`}`,
    `Call-ID: ${p.callId}`,
    'CSeq: 1 INVITE',
    ...(p.contact === null ? [] : [`Contact: ${p.contact ?? '<sip:fuzz@127.0.0.1>'}`]),
    'Max-Forwards: 70',
    ...(p.extra ?? []),
    ...(body ? [`Content-Type: ${p.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Random damage to a valid INVITE: lines dropped, duplicated, cut, bytes flipped, junk inserted. */
function mutate(random: Random, text: string): string {
  const lines = text.split('\r\n');
  const damage = 1 + random.int(4);
  for (let d = 0; d < damage; d++) {
    const i = random.int(lines.length);
    const line = lines[i] ?? '';
    switch (random.int(6)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, line);
        break;
      case 2:
        lines[i] = line.slice(0, random.int(line.length + 1));
        break;
      case 3:
        lines[i] = [...line].map((c) => (random.int(10) === 0 ? String.fromCharCode(random.int(256)) : c)).join('');
        break;
      case 4:
        lines[i] = `${line}${['\0', '<', '>', '"', ';tag=', '%0d%0aX-Injected: 1', ',<sip:x@y>', 'é'][random.int(8)]}`;
        break;
      default:
        lines.splice(i, 0, `X-Junk-${random.int(100)}: ${'A'.repeat(random.int(3_000))}`);
    }
  }
  return lines.join('\r\n');
}

describe('trunk-sip inbound: hostile and malformed INVITEs', () => {
  beforeAll(async () => {
    carrier = dgram.createSocket('udp4');
    carrier.on('message', (m) => {
      const text = m.toString('latin1');
      const callId = /^Call-ID:\s*(\S+)/im.exec(text)?.[1] ?? '?';
      responses.set(callId, [...(responses.get(callId) ?? []), text]);
    });
    await new Promise<void>((resolve) => carrier.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => carrier.close());

  it('answers each malformed INVITE with the right refusal, offers only the well-formed ones, and injects nothing', async () => {
    const port = carrier.address().port;
    const h = await harness({ trunks: [{ id: 'carrier', host: '127.0.0.1', port }] });
    h.trunk.acceptInbound([LINE]);
    const sipPort = h.trunk.stats().trunks[0]?.localPort ?? 0;
    const send = (text: string) => carrier.send(Buffer.from(text, 'latin1'), sipPort, '127.0.0.1');
    // `dropped`: SIP.js's parser cannot read the message (a URI scheme or header it does not parse): no response, no offer.
    const table: [InviteParts, number | 'offered' | 'dropped'][] = [
      [{ callId: 'ok-1' }, 'offered'],
      [{ callId: 'ok-national', ruri: 'sip:14155550100@127.0.0.1' }, 'offered'], // the + stripped by the carrier
      [{ callId: 'ok-to-user', ruri: 'sip:paceline@127.0.0.1', to: `"Sales" <sip:${LINE};npdi@carrier.example>` }, 'offered'],
      [{ callId: 'tel-to', ruri: 'sip:paceline@127.0.0.1', to: `<tel:${LINE}>` }, 'dropped'],
      [{ callId: 'no-from-tag', from: '<sip:+14155550199@127.0.0.1>' }, 400],
      [{ callId: 'rfc2543-branch', via: `SIP/2.0/UDP 127.0.0.1:${port};branch=1234` }, 400],
      [{ callId: 'no-contact', contact: null }, 400],
      [{ callId: 'tel-contact', contact: '<tel:+14155550199>' }, 'dropped'],
      [{ callId: 'bad-record-route', extra: ['Record-Route: <sip:proxy@127.0.0.1;lr>"evil'] }, 'dropped'],
      [{ callId: 'quoted-record-route', extra: ['Record-Route: "<sip:evil@x>" <sip:proxy@127.0.0.1;lr>'] }, 'offered'],
      [{ callId: 'not-ours', ruri: 'sip:+14155550999@127.0.0.1', to: '<sip:+14155550999@127.0.0.1>' }, 480],
      [{ callId: 'injected-user', ruri: 'sip:+14155550100%0d%0aX-Injected:1@127.0.0.1', to: '<sip:x@127.0.0.1>' }, 480],
      [{ callId: 'no-sdp', sdp: null }, 488],
      [{ callId: 'g729-only', sdp: SDP.replace('RTP/AVP 0', 'RTP/AVP 18') }, 488],
      [{ callId: 'garbage-sdp', sdp: 'this is not sdp\r\n' }, 488],
      [{ callId: 'text-body', contentType: 'text/plain' }, 488],
      [{ callId: 'port-zero', sdp: SDP.replace('audio 40000', 'audio 0') }, 488],
    ];
    for (const [parts] of table) send(invite(port, parts));
    const refused = () =>
      table.every(([p, want]) => typeof want !== 'number' || (responses.get(p.callId) ?? []).some((r) => /^SIP\/2\.0 [2-6]/.test(r)));
    for (let waited = 0; !refused() && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(refused()).toBe(true);
    await h.until(() => h.events.filter((e) => e.type === 'incoming').length === 4, 10_000);
    for (const [parts, want] of table) {
      const got = responses.get(parts.callId) ?? [];
      if (want === 'offered') {
        expect(got.map((r) => r.slice(0, 15))).toEqual(['SIP/2.0 100 Try', 'SIP/2.0 180 Rin']);
      } else if (want === 'dropped') {
        expect(got).toEqual([]);
      } else {
        expect(got.map((r) => Number(r.slice(8, 11)))).toEqual([want]);
      }
    }
    const offered = h.events.filter((e): e is Extract<TrunkEvent, { type: 'incoming' }> => e.type === 'incoming');
    expect(offered.map((e) => e.to)).toEqual([LINE, LINE, LINE, LINE]);

    // Random damage, with a well-formed control call every 50 datagrams that must still get through.
    const random = seededRandom(23);
    const base = (n: number) => invite(port, { callId: `fz-${n}` });
    let controls = 0;
    for (let n = 0; n < 1_500; n++) {
      if (n % 50 === 0) {
        send(invite(port, { callId: `control-${n}` }));
        controls++;
      } else send(mutate(random, base(n)));
      if (n % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await h.until(() => h.events.filter((e) => e.type === 'incoming' && e.callId !== '').length >= 4 + controls, 10_000);
    for (const event of h.events) {
      if (event.type !== 'incoming') continue;
      expect(event.to).toBe(LINE);
      if (event.from !== undefined) expect(event.from).toMatch(/^\+[1-9]\d{6,14}$/);
    }
    // Nothing from the network becomes a header line of ours.
    for (const list of responses.values()) for (const r of list) expect(r).not.toMatch(/^X-Injected/im);

    // Refuse everything offered (480, never ACKed by this carrier: Timer G, then H at 64·T1).
    // Every call offered so far and any still opening its RTP socket: none may be left unoffered.
    const hungUp = new Set<string>();
    for (let waited = 0; waited < 5_000 && (waited === 0 || h.trunk.stats().callsInFlight > 0); waited += 100) {
      for (const e of h.events) {
        if (e.type !== 'incoming' || hungUp.has(e.callId)) continue;
        hungUp.add(e.callId);
        await h.trunk.hangup(e.callId);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(h.events.filter((e) => e.type === 'ended').length).toBe(hungUp.size); // each offered call ended once
    await h.clean(15_000);
  }, 45_000);

  it('resends the 200 OK until the ACK (T1 doubling to T2), BYEs a caller who never ACKs at 64·T1, and a 4xx without ACK stops at Timer H', async () => {
    const port = carrier.address().port;
    const h = await harness({ trunks: [{ id: 'carrier', host: '127.0.0.1', port }] }); // T1 = 100 ms, T2 = 4 s
    h.trunk.acceptInbound([LINE]);
    const sipPort = h.trunk.stats().trunks[0]?.localPort ?? 0;
    carrier.send(invite(port, { callId: 'silent-answered' }), sipPort, '127.0.0.1');
    carrier.send(invite(port, { callId: 'silent-rejected' }), sipPort, '127.0.0.1');
    await h.until(() => h.events.filter((e) => e.type === 'incoming').length === 2, 10_000);
    const [answered, rejected] = h.events.filter((e) => e.type === 'incoming').map((e) => e.callId) as [string, string];
    const started = Date.now();
    await h.trunk.answer(answered);
    await h.trunk.reject(rejected, 'busy');
    await h.until(() => h.ended(answered) !== undefined, 9_000);
    const elapsed = (h.ended(answered)?.at ?? 0) - started;
    expect(h.ended(answered)).toMatchObject({ outcome: 'failed', cause: 'no-ack' });
    expect(elapsed).toBeGreaterThanOrEqual(6_300); // 64·T1
    const oks = (responses.get('silent-answered') ?? []).filter((r) => r.startsWith('SIP/2.0 200'));
    // 0, 100, 300, 700, 1500, 3100 ms, then every T2 (4 s): 7 copies by 6.4 s.
    expect(oks.length).toBeGreaterThanOrEqual(6);
    expect(oks.length).toBeLessThanOrEqual(8);
    await h.until(() => (responses.get('silent-answered') ?? []).some((r) => r.startsWith('BYE sip:fuzz@127.0.0.1 SIP/2.0')), 10_000);
    const busy = (responses.get('silent-rejected') ?? []).filter((r) => r.startsWith('SIP/2.0 486'));
    expect(busy.length).toBeGreaterThanOrEqual(6); // Timer G
    expect(h.ended(rejected)).toBeUndefined();
    await h.clean(12_000); // our BYE is answered by nobody: Timer F (64·T1) drops it
  }, 45_000);
});
