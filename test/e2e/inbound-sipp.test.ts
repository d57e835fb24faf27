import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, silentLogger, systemClock } from '@paceline/core';
import { createDialer, type DialerEvents } from '@paceline/engine';
import { createSipTrunk } from '@paceline/trunk-sip';
import { afterAll, describe, expect, it } from 'vitest';
import { callerPort, startCaller } from '../../packages/trunk-sip/test/support/caller';
import { scenarioFrom, sippAvailable } from '../../packages/trunk-sip/test/support/sipp';
import { writeTalkWav } from '../../packages/trunk-sip/test/support/talk';
import { waitFor } from '../support/wait-for';

// A SIPp caller (the carrier's UAC) dials a service line: trunk-sip offers the INVITE, the
// engine answers it, queues it and connects a ready agent; the agent's disposition hangs up
// (our BYE), which SIPp answers. Real time, real SIP.

const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('the inbound SIPp e2e test needs sipp under CI: apt-get install sip-tester');
const SERVICE = '+14155550200';

describe.skipIf(!haveSipp)('inbound over SIP (e2e, SIPp caller)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inbound-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a SIPp caller reaches an agent through trunk-sip, and the disposition hangs up', async () => {
    writeTalkWav(dir);
    const port = await callerPort();
    const clock = systemClock();
    const trunk = await createSipTrunk({
      clock,
      random: seededRandom(5),
      sipTimers: { t1Ms: 100 },
      trunks: [{ id: 'carrier', host: '127.0.0.1', port }],
    });
    const dialer = createDialer({
      trunk,
      clock,
      logger: silentLogger,
      inbound: { queues: [{ id: 'service', numbers: [SERVICE], scriptId: 'service-script' }] },
    });
    const connected: DialerEvents['inbound.connected'][0][] = [];
    const errors: unknown[] = [];
    dialer.on('inbound.connected', (offer) => connected.push(offer));
    dialer.on('error', (e) => errors.push(e));
    dialer.loginAgent({ id: 'ana', name: 'Ana' }, []);
    dialer.ready('ana');
    const sipPort = trunk.stats().trunks[0]?.localPort ?? 0;
    const values = { to: SERVICE, from_user: '+14155550199', pai: '+14155550177', privacy: 'none', rtp_sink: 9, talk_ms: 20_000 };
    const caller = await startCaller(scenarioFrom('inbound-talk.xml', values, dir), dir, port, sipPort);
    try {
      await waitFor(() => connected.length > 0, 20_000, 'the caller connected to ana'); // tidy: real-time bound (was 200 × 50 ms)
      const [offer] = connected;
      expect(offer).toMatchObject({ queueId: 'service', agentId: 'ana', caller: { kind: 'service' }, scriptId: 'service-script' });
      expect(offer?.waitMs).toBeLessThan(2_000);
      expect(dialer.inbound?.status().queues[0]).toMatchObject({ answered: 1, waiting: 0, abandoned: 0 });
      await dialer.disposition(offer?.callId as string, 'SERVICE');
      expect(await caller.exited).toBe(0); // SIPp got our BYE and answered it
      expect(errors).toEqual([]);
    } finally {
      await caller.stop();
      await dialer.close();
      await trunk.close();
    }
  }, 40_000);
});
