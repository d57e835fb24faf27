// rb9 (issue-23's leftovers, after 23-realaway): the store's redis-server frozen (SIGSTOP) mid-day.
// One engine node (the node builder: Redis store and lease on one client, BullMQ on the same
// server) runs a progressive campaign with simulated agents on a redis-server of the test's own.
// The server is frozen for FROZEN_MS while calls are up: a frozen server accepts the connection and
// answers nothing, so without a bound on the clients' commands every store, lease and queue call
// waits until SIGCONT. Checked: a host call made meanwhile (adding contacts, reading the campaign)
// settles within the bound, nothing is dialled, nothing escapes to the process (no unhandled
// rejection or uncaught exception), the outage is reported (`storeAvailability`); after SIGCONT the
// campaign dials again and completes with every contact done and no attempt left open.
import { simulateAgents } from '@paceline/sim';
import { createRedisStore } from '@paceline/store-redis';
import { basicOutcomeModel, createSimTrunk } from '@paceline/trunk-sim';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { progressiveCampaign } from '../support/campaign';
import { escapesToProcess } from '../support/escapes';
import { middayZone } from '../support/midday-zone';
import { describeWithRedis, startRedisServer } from '../support/redis-server';
import { settlesIn } from '../support/settles-in';
import { waitFor } from '../support/wait-for';
import { createNodeDialer } from './node-dialer';

const CONTACTS = 16;
const FROZEN_MS = 10_000;
/** How long a host call may take while the server is frozen: the store's bound (5 s) and some slack. */
const SETTLES_WITHIN_MS = 7_000;

const escaped = escapesToProcess();

describeWithRedis('rb9: the store’s redis-server frozen mid-day (SIGSTOP), one engine node', (server) => {
  it('host calls settle within the bound, nothing escapes, nothing is dialled; after SIGCONT the campaign completes', async () => {
    void server(); // the file's server is unused: this test freezes one of its own
    const frozen = await startRedisServer();
    const n = createNodeDialer({
      url: frozen.url,
      nodeId: 'a',
      tenant: `frozen-${process.pid}`,
      pooled: false,
      trunk: (clock, random) =>
        createSimTrunk({
          clock,
          random,
          model: basicOutcomeModel({
            human: 0.7,
            machine: 0,
            busy: 0.3,
            failed: 0,
            invalid: 0,
            answerDelayMeanMs: 400,
            failureDelayMeanMs: 300,
            analysisMs: 100,
            amdFalseMachine: 0,
            amdFalseHuman: 0,
            patienceMeanMs: 60_000,
          }),
        }),
    });
    const { dialer, clock } = n;
    const reader = new Redis(frozen.url, { maxRetriesPerRequest: 2 }); // the test's own reads, after the freeze
    reader.on('error', () => {});
    const store = createRedisStore({ redis: reader, tenant: `frozen-${process.pid}` });
    const dialedAt: number[] = [];
    const dispositions = new Set<string>();
    const availability: boolean[] = [];
    dialer.on('dialed', () => dialedAt.push(Date.now()));
    dialer.on('dispositioned', (e) => dispositions.add(e.callId));
    dialer.on('storeAvailability', (e) => availability.push(e.available));
    let stopped = false;
    try {
      await dialer.addCampaign(progressiveCampaign('k1', { homeTimeZone: 'UTC', recycle: { busy: { retryAfterMs: 1_000 } } }));
      const zone = middayZone(clock.now());
      const contact = (i: number) => ({ id: `c${i}`, phones: [{ number: `+1212555${4000 + i}` }], timeZones: [zone] });
      await dialer.addContacts(
        'k1',
        Array.from({ length: CONTACTS }, (_, i) => contact(i)),
      );
      const now = clock.now();
      const agents = ['a0', 'a1'].map((id) => ({ id, name: id, campaignIds: ['k1'], loginAt: now, logoutAt: now + 3_600_000 }));
      simulateAgents(dialer, clock, n.random.split('agents'), agents, {
        talkMs: () => 800,
        wrapMs: () => 200,
        disposition: () => ({ code: 'SAVED' }),
      });
      await dialer.start('k1');
      await waitFor(() => dispositions.size >= 3, 30_000, 'the first dispositions');

      process.kill(frozen.pid(), 'SIGSTOP');
      stopped = true;
      const frozenAt = Date.now();
      // The host's calls while the server is frozen: each settles (here: fails) within the bound.
      const [added, read] = await Promise.all([
        settlesIn(() => dialer.addContacts('k1', [contact(CONTACTS)]), SETTLES_WITHIN_MS),
        settlesIn(() => dialer.status('k1'), SETTLES_WITHIN_MS),
      ]);
      await waitFor(() => availability.includes(false), 1_000, 'the outage reported');
      await new Promise((resolve) => setTimeout(resolve, frozenAt + FROZEN_MS - Date.now()));
      const dialledWhileFrozen = dialedAt.filter((at) => at > frozenAt + 100).length; // +100: a dial whose writes had just landed
      process.kill(frozen.pid(), 'SIGCONT');
      stopped = false;
      const wokenAt = Date.now();

      expect({ added, read }).toEqual({ added: expect.any(Number), read: expect.any(Number) });
      expect(dialledWhileFrozen).toBe(0);
      const done = async () => ((await store.countContacts('k1').catch(() => undefined))?.done ?? 0) >= CONTACTS;
      await waitFor(done, 60_000, 'every contact done after SIGCONT');
      expect(dialedAt.some((at) => at > wokenAt)).toBe(true);
      await waitFor(async () => (await store.listOpenAttempts('k1')).length === 0, 10_000, 'no attempt left open');
      expect(availability.at(-1)).toBe(true);
      expect(escaped).toEqual([]);
    } finally {
      if (stopped) process.kill(frozen.pid(), 'SIGCONT');
      await n.close();
      reader.disconnect();
      await frozen.stop();
    }
  }, 120_000);
});
