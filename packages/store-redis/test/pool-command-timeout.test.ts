// issue-23 23-realaway: the agent pool's calls are bounded. A server that accepts the connection and
// never answers (a frozen redis-server, SIGSTOP) left every ioredis command — without the client's
// own `commandTimeout` — waiting for ever; the engine's claim / reserve / take never failed over.
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRedisAgentPool, POOL_COMMAND_TIMEOUT_MS } from '../src/index';

let server: Server;
let sockets: Socket[];
let redis: Redis;

beforeEach(async () => {
  sockets = [];
  server = createServer((socket) => {
    sockets.push(socket); // reads everything, answers nothing
    socket.on('data', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  redis = new Redis({ host: '127.0.0.1', port, enableReadyCheck: false, maxRetriesPerRequest: null });
  redis.on('error', () => {});
  await once(server, 'connection'); // connected; whatever it sends goes unanswered
});

afterEach(async () => {
  redis.disconnect();
  for (const s of sockets) s.destroy();
  server.close();
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
  const still = await Promise.race([
    unbounded.then(
      () => 'answered',
      () => 'failed',
    ),
    new Promise((r) => setTimeout(() => r('waiting'), 1_300)),
  ]);
  expect(still).toBe('waiting');
});
