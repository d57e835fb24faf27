// issue-23 23-realaway: the agent pool's calls are bounded. A server that accepts the connection and
// never answers (a frozen redis-server, SIGSTOP) left every ioredis command — without the client's
// own `commandTimeout` — waiting for ever; the engine's claim / reserve / take never failed over.
// rb9: the store's and the lease's too (the same bound, `command-timeout.ts`); end to end with a
// real frozen server in test/distributed/store-frozen.test.ts.
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { outcomeWithin, silentServer } from '../../../test/support/silent-server';
import {
  closeRedis,
  createRedisAgentPool,
  createRedisFulfilmentStore,
  createRedisLease,
  createRedisReplayStore,
  createRedisStore,
  LEASE_COMMAND_TIMEOUT_MS,
  POOL_COMMAND_TIMEOUT_MS,
  STORE_COMMAND_TIMEOUT_MS,
} from '../src/index';

let silent: Awaited<ReturnType<typeof silentServer>>;
let redis: Redis;

beforeEach(async () => {
  silent = await silentServer();
  redis = new Redis({ host: '127.0.0.1', port: silent.port, enableReadyCheck: false, maxRetriesPerRequest: null });
  redis.on('error', () => {});
  await once(silent.server, 'connection'); // connected; whatever it sends goes unanswered
});

afterEach(async () => {
  redis.disconnect();
  silent.close();
});

it('a pool call to a server that never answers rejects after commandTimeoutMs', async () => {
  const pool = createRedisAgentPool({ redis, tenant: 't', commandTimeoutMs: 150 });
  const started = Date.now();
  const calls = [
    pool.reserve('ana', 'c1', 1_000, 0),
    pool.claimAgent?.('ana', [], 'c1', 1_000, 0),
    pool.list('k1', 0),
    pool.put({ agentId: 'ana', nodeId: 'n', campaignIds: [], skills: [], state: 'ready', since: 0, seenAt: 0 } as never),
  ];
  for (const call of calls) await expect(call).rejects.toThrow(/no answer within 150 ms/);
  expect(Date.now() - started).toBeLessThan(5_000);
});

it('the bound is on by default (POOL_COMMAND_TIMEOUT_MS), off with 0', async () => {
  expect(POOL_COMMAND_TIMEOUT_MS).toBe(1_000);
  await expect(createRedisAgentPool({ redis, tenant: 't' }).reserve('ana', 'c1', 1_000, 0)).rejects.toThrow(/within 1000 ms/);
  const unbounded = createRedisAgentPool({ redis, tenant: 't', commandTimeoutMs: 0 }).reserve('ana', 'c1', 1_000, 0);
  expect(await outcomeWithin(unbounded, 1_300)).toBe('waiting');
});

it('rb9: store and lease calls to a server that never answers reject after commandTimeoutMs (scripts, plain commands, MULTI)', async () => {
  const store = createRedisStore({ redis, tenant: 't', commandTimeoutMs: 150, journalMs: 0 });
  const lease = createRedisLease({ redis, tenant: 't', commandTimeoutMs: 150 });
  const started = Date.now();
  const calls: [string, Promise<unknown>][] = [
    ['getCampaign (HGET)', store.getCampaign('k1')],
    ['claimDue (script)', store.claimDue('k1', 1_000, 1)],
    ['countContacts (MULTI)', store.countContacts('k1')],
    ['findDnc (HVALS)', store.findDnc('+12125550100')],
    ['lease renew (script)', lease.renew('pacing:k1', 'n', 1, 3_000, 1_000)],
    ['lease current (HMGET)', lease.current('pacing:k1', 1_000)],
  ];
  // each outcome caught as it comes (they all fail at about the same time)
  const outcomes = calls.map(([what, call]) =>
    call.then(
      (): [string, unknown] => [what, 'answered'],
      (error: unknown) => [what, String(error)],
    ),
  );
  for (const [what, outcome] of await Promise.all(outcomes)) expect(outcome, what).toMatch(/no answer within 150 ms \(commandTimeoutMs\)/);
  expect(Date.now() - started).toBeLessThan(5_000);
});

it('rb11: fulfilment and replay store calls to a server that never answers reject after commandTimeoutMs (scripts, plain commands, pipelines)', async () => {
  const fulfilment = createRedisFulfilmentStore({ redis, tenant: 't', commandTimeoutMs: 150 });
  const replays = createRedisReplayStore({ redis, tenant: 't', commandTimeoutMs: 150 });
  const started = Date.now();
  const calls: [string, Promise<unknown>][] = [
    ['getOrder (HGET)', fulfilment.getOrder('o-1')],
    ['claimPickupSlot (script)', fulfilment.claimPickupSlot('shop@1', 'o-1', 2)],
    ['pickupTaken (pipeline)', fulfilment.pickupTaken(['shop@1', 'shop@2'])],
    ['listOrders (LRANGE)', fulfilment.listOrders()],
    ['nextSequence (HINCRBY)', fulfilment.nextSequence('callback')],
    ['replay remember (SET NX)', replays.remember('dlv-1', 60_000, 0)],
  ];
  const outcomes = calls.map(([what, call]) =>
    call.then(
      (): [string, unknown] => [what, 'answered'],
      (error: unknown) => [what, String(error)],
    ),
  );
  for (const [what, outcome] of await Promise.all(outcomes))
    expect(outcome, what).toMatch(
      /^Error: Redis(FulfilmentStore: \w+( exec)?|ReplayStore: remember) got no answer within 150 ms \(commandTimeoutMs\)$/,
    );
  expect(Date.now() - started).toBeLessThan(5_000);
});

it('rb9: the store’s and the lease’s bounds are on by default (5 s, 2 s), off with 0; rb11: the fulfilment and replay stores’ too (5 s)', async () => {
  expect([STORE_COMMAND_TIMEOUT_MS, LEASE_COMMAND_TIMEOUT_MS]).toEqual([5_000, 2_000]);
  const started = Date.now();
  const lease = createRedisLease({ redis, tenant: 't' }).current('pacing:k1', 0);
  const store = createRedisStore({ redis, tenant: 't', journalMs: 0 }).getCampaign('k1');
  const fulfilment = createRedisFulfilmentStore({ redis, tenant: 't' }).getOrder('o-1');
  const replays = createRedisReplayStore({ redis, tenant: 't' }).remember('dlv-1', 60_000, 0);
  const unbounded = [
    createRedisStore({ redis, tenant: 't', journalMs: 0, commandTimeoutMs: 0 }).getCampaign('k1'),
    createRedisFulfilmentStore({ redis, tenant: 't', commandTimeoutMs: 0 }).getOrder('o-1'),
    createRedisReplayStore({ redis, tenant: 't', commandTimeoutMs: 0 }).remember('dlv-2', 60_000, 0),
  ];
  // all awaited together: each fails at about the same time, none may wait unobserved
  await Promise.all([
    expect(lease).rejects.toThrow(/RedisLease: hmget got no answer within 2000 ms/),
    expect(store).rejects.toThrow(/RedisStore: hget got no answer within 5000 ms/),
    expect(fulfilment).rejects.toThrow(/RedisFulfilmentStore: hget got no answer within 5000 ms/),
    expect(replays).rejects.toThrow(/RedisReplayStore: remember got no answer within 5000 ms/),
  ]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  for (const call of unbounded) expect(await outcomeWithin(call, 300)).toBe('waiting'); // > 5.3 s after it was made
}, 15_000);

it('rb9: a commandTimeoutMs that is not 0 or a positive number is refused at construction', () => {
  expect(() => createRedisStore({ redis, tenant: 't', commandTimeoutMs: -1 })).toThrow(/RedisStore options.commandTimeoutMs/);
  expect(() => createRedisLease({ redis, tenant: 't', commandTimeoutMs: Number.NaN })).toThrow(/RedisLease options.commandTimeoutMs/);
  expect(() => createRedisFulfilmentStore({ redis, tenant: 't', commandTimeoutMs: -5 })).toThrow(
    /RedisFulfilmentStore options.commandTimeoutMs/,
  );
  expect(() => createRedisReplayStore({ redis, tenant: 't', commandTimeoutMs: Number.POSITIVE_INFINITY })).toThrow(
    /RedisReplayStore options.commandTimeoutMs/,
  );
});

it('rb12: closeRedis of a client the server never got ready (ioredis ends the quit itself) resolves and ends it; a bad bound is refused', async () => {
  // the bound on a frozen server (a ready client's QUIT unanswered): test/distributed/close-frozen.test.ts
  await expect(closeRedis(redis, { timeoutMs: -1 })).rejects.toThrow(
    /closeRedis options.timeoutMs: expected 0 \(no bound\) or a positive number of ms, got -1/,
  );
  await expect(closeRedis(redis, { timeoutMs: 150 })).resolves.toBeUndefined();
  expect(redis.status).toBe('end');
  await expect(closeRedis(redis)).resolves.toBeUndefined(); // already ended: nothing to do
});
