import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, corpusToolsAvailable, sequence, speak, writeWav } from './support/corpus';
import { harness } from './support/harness';
import {
  type KamailioTlsProxy,
  kamailioTlsAvailable,
  kamailioVersion,
  makeTestCertificates,
  startKamailioTls,
  type TestCertificates,
} from './support/kamailio';
import { type SippPeer, sippAvailable, startSipp } from './support/sipp';

// SIP over TLS (RFC 3261 26.2, sips:) against a real Kamailio with Debian's kamailio-tls-modules,
// its certificate made by openssl here: verified against the CA we are given, refused otherwise.
const kamailio = kamailioVersion();
const ready = sippAvailable() && corpusToolsAvailable() && kamailio !== undefined && kamailioTlsAvailable();
if (!ready && process.env.CI === 'true')
  throw new Error('trunk-sip TLS tests need sipp, kamailio and kamailio-tls-modules under CI: run .ci/setup');

describe.skipIf(!ready)(`trunk-sip over TLS to Kamailio (${kamailio ?? 'missing'})`, () => {
  let dir = '';
  let certificates: TestCertificates;
  let rogue: TestCertificates;
  let proxy: KamailioTlsProxy | undefined;
  let sipp: SippPeer | undefined;
  const trace = () => join(dir, 'tls-sipp-messages.log');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trunk-sip-tls-'));
    writeWav(join(dir, 'human.wav'), addNoise(sequence([300, speak(dir, 'Hello?', 'en-us', 170), 4_000]), 60, 1), 'mulaw');
    certificates = makeTestCertificates(dir, 'carrier');
    rogue = makeTestCertificates(dir, 'rogue');
    sipp = await startSipp('proxied-human.xml', dir, 1, ['-trace_msg', '-message_file', trace()]);
    proxy = await startKamailioTls({ dir, targetPort: sipp.port, certificates });
  }, 30_000);
  afterAll(async () => {
    await proxy?.stop();
    await sipp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the carrier certificate, places a sips: call through the TLS proxy, hears a person and ends on our BYE', async () => {
    const h = await harness({
      trunks: [
        {
          id: 'tls',
          host: '127.0.0.1',
          port: proxy?.tlsPort ?? 0,
          transport: 'tls',
          tls: { ca: readFileSync(certificates.caCert, 'utf8') },
        },
      ],
      rtpSource: 'sdp',
    });
    const id = await h.call('+14155550001');
    await h.until(() => h.of(id).some((e) => e.type === 'analysed'), 8_000);
    await h.trunk.hangup(id);
    expect(h.of(id).map((e) => e.type)).toEqual(['ringing', 'answered', 'analysed', 'ended']);
    expect(h.ended(id)).toMatchObject({ outcome: 'human', cause: 'hangup' });
    expect(await sipp?.exited, proxy?.log()).toBe(0); // the ACK and BYE came back through the proxy
    const relayed = readFileSync(trace(), 'utf8');
    expect(relayed).toMatch(/^INVITE sips?:\+14155550001@/m);
    // The proxy took our INVITE in over TLS (our Via says TLS; its Record-Route keeps TLS for our side).
    expect(relayed).toMatch(/^Via: SIP\/2\.0\/TLS 127\.0\.0\.1:\d+;received=127\.0\.0\.1;branch=/m);
    expect(relayed).toMatch(/^Record-Route: <sips:127\.0\.0\.1:\d+;transport=tls;r2=on;lr/m);
    await h.clean();
  });

  it('refuses a carrier whose certificate does not chain to the CA it was given, or names another host', async () => {
    const port = proxy?.tlsPort ?? 0;
    const wrongCa = harness({
      trunks: [{ id: 'rogue-ca', host: '127.0.0.1', port, transport: 'tls', tls: { ca: readFileSync(rogue.caCert, 'utf8') } }],
    });
    await expect(wrongCa).rejects.toMatchObject({ code: 'E_TRUNK_UNAVAILABLE', message: expect.stringMatching(/certificate/i) });
    const wrongName = harness({
      trunks: [
        {
          id: 'wrong-name',
          host: '127.0.0.1',
          port,
          transport: 'tls',
          tls: { ca: readFileSync(certificates.caCert, 'utf8'), servername: 'carrier.example' },
        },
      ],
    });
    await expect(wrongName).rejects.toMatchObject({
      code: 'E_TRUNK_UNAVAILABLE',
      message: expect.stringMatching(/altnames|certificate|carrier\.example/i),
    });
  });
});
