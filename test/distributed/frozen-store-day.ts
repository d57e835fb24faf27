/**
 * rb9's frozen-store day (store-frozen.test.ts), shared by rb11 with its Redis Cluster version
 * (test/cluster/cluster-frozen.test.ts). One engine node (the node builder: Redis store and lease on
 * one client, BullMQ beside them) runs a progressive campaign k1 with two simulated agents; once
 * calls are up, the test's `freeze` stops the Redis under k1 (SIGSTOP) for FROZEN_MS. A frozen server
 * accepts commands and answers nothing, so without a bound on the clients' commands every store,
 * lease and queue call waits until SIGCONT. Checked: a host call made meanwhile (adding contacts,
 * reading the campaign) settles within the bound, nothing is dialled, nothing escapes to the process
 * (no unhandled rejection or uncaught exception), the outage is reported (`storeAvailability`); after
 * `thaw` the campaign dials again and completes with every contact done and no attempt left open.
 */
import { simulateAgents } from '@paceline/sim';
import { createRedisStore, type RedisClient } from '@paceline/store-redis';
import { expect } from 'vitest';
import { progressiveCampaign } from '../support/campaign';
import { middayZone } from '../support/midday-zone';
import { settlesIn } from '../support/settles-in';
import { waitFor } from '../support/wait-for';
import { createNodeDialer } from './node-dialer';
import { peopleOrBusyTrunk } from './sim-trunk';

const CONTACTS = 16;
/** How long the Redis stays frozen, ms: twice the store's bound (5 s), so the host's calls fail first. */
const FROZEN_MS = 10_000;
/** How long a host call may take while the server is frozen: the store's bound (5 s) and some slack. */
const SETTLES_WITHIN_MS = 7_000;

/** What {@link frozenStoreDay} runs on. */
export interface FrozenStoreDayOptions {
  /** The node's Redis: `redis://host:port` or `cluster://host:port,…`. */
  readonly url: string;
  readonly tenant: string;
  /** The test's own client on the same Redis, for its checks after the freeze (the test closes it). */
  readonly reader: RedisClient;
  /** Freeze the Redis that serves campaign k1 (`SIGSTOP`). */
  readonly freeze: () => void;
  /** Wake it (`SIGCONT`); called once, also when the day fails while frozen. */
  readonly thaw: () => void;
  /** What escaped to the process meanwhile (`escapesToProcess()` of the test file). */
  readonly escaped: readonly unknown[];
}

/** Run the day and check it (see the file's comment); closes the node. */
export async function frozenStoreDay(options: FrozenStoreDayOptions): Promise<void> {
  const { tenant } = options;
  const n = createNodeDialer({
    url: options.url,
    nodeId: 'a',
    tenant,
    pooled: false,
    trunk: (clock, random) => peopleOrBusyTrunk(clock, random, { answerDelayMeanMs: 400 }),
  });
  const { dialer, clock } = n;
  const store = createRedisStore({ redis: options.reader, tenant });
  const dialedAt: number[] = [];
  const dispositions = new Set<string>();
  const availability: boolean[] = [];
  dialer.on('dialed', () => dialedAt.push(Date.now()));
  dialer.on('dispositioned', (e) => dispositions.add(e.callId));
  dialer.on('storeAvailability', (e) => availability.push(e.available));
  let frozen = false;
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

    options.freeze();
    frozen = true;
    const frozenAt = Date.now();
    // The host's calls while the server is frozen: each settles (here: fails) within the bound.
    const [added, read] = await Promise.all([
      settlesIn(() => dialer.addContacts('k1', [contact(CONTACTS)]), SETTLES_WITHIN_MS),
      settlesIn(() => dialer.status('k1'), SETTLES_WITHIN_MS),
    ]);
    await waitFor(() => availability.includes(false), 1_000, 'the outage reported');
    await new Promise((resolve) => setTimeout(resolve, frozenAt + FROZEN_MS - Date.now()));
    const dialledWhileFrozen = dialedAt.filter((at) => at > frozenAt + 100).length; // +100: a dial whose writes had just landed
    frozen = false;
    options.thaw();
    const wokenAt = Date.now();

    expect({ added, read }).toEqual({ added: expect.any(Number), read: expect.any(Number) });
    expect(dialledWhileFrozen).toBe(0);
    const done = async () => ((await store.countContacts('k1').catch(() => undefined))?.done ?? 0) >= CONTACTS;
    await waitFor(done, 60_000, 'every contact done after SIGCONT');
    expect(dialedAt.some((at) => at > wokenAt)).toBe(true);
    await waitFor(async () => (await store.listOpenAttempts('k1')).length === 0, 10_000, 'no attempt left open');
    expect(availability.at(-1)).toBe(true);
    expect(options.escaped).toEqual([]);
  } finally {
    if (frozen) options.thaw();
    await n.close();
  }
}
