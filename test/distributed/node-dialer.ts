/**
 * dnc-shared: the one set-up of an engine "node" for the distributed tests — a process of its own
 * (engine-node.ts, inbound-node.ts) or one of several in a test's process (shared-dnc*.test.ts):
 * the shared Redis (one server, or `cluster://host:port,…`), the Redis store and lease (and the
 * agent pool when `pooled`), the shared BullMQ queue, the system clock, the node's seeded random,
 * the trunk the caller builds, the 3 s lease and the 250 ms tick; `inbound` adds inbound queues.
 * The in-process tests set the tenant, a virtual clock, the seed, the lease and tick, their own
 * compliance gate, and no shared queue. Prints nothing itself: `say` writes one JSON line.
 */
import {
  type AgentPool,
  type Clock,
  type MediaBridge,
  type Random,
  type Store,
  seededRandom,
  silentLogger,
  systemClock,
  type Trunk,
} from '@paceline/core';
import { type ComplianceGate, createDialer, type Dialer, type InboundOptions } from '@paceline/engine';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisAgentPool, createRedisLease, createRedisStore } from '@paceline/store-redis';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** The tenant every distributed-test node uses. */
export const NODE_TENANT = 'dist-test';

/** What {@link createNodeDialer} builds a node from. */
export interface NodeDialerOptions<T extends Trunk & { readonly media?: MediaBridge }> {
  /** `redis://host:port`, or `cluster://host:port,host:port,…` for Redis Cluster. */
  readonly url: string;
  readonly nodeId: string;
  /** Share agents through the Redis agent pool (messages over the BullMQ queue). */
  readonly pooled: boolean;
  /** This node's trunk, on its clock and random. */
  readonly trunk: (clock: Clock, random: Random) => T;
  /** Inbound queues (issue-23): the node answers inbound calls. */
  readonly inbound?: InboundOptions;
  /** Default {@link NODE_TENANT}; a test gives each case a tenant of its own. */
  readonly tenant?: string;
  /** Default the system clock; an in-process test passes a `VirtualClock`. */
  readonly clock?: Clock;
  /** The node's random seed; default 1 for node `a`, 2 for the others. */
  readonly seed?: number;
  /** The compliance gate (each node its own `createComplianceGate()`); default the dialer's. */
  readonly compliance?: ComplianceGate;
  /** Share a BullMQ queue (default true; `pooled` needs it); false: the dialer's embedded queue. */
  readonly sharedQueue?: boolean;
  /** The leadership lease's TTL, ms; default 3 s. */
  readonly leaseTtlMs?: number;
  /** The pacing tick, ms; default 250. */
  readonly tickIntervalMs?: number;
  /** issue-23 23-dist: what the dialer gets of the Redis agent pool (a test hides methods); default the pool itself. */
  readonly poolView?: (pool: AgentPool) => AgentPool;
  /** issue-23 23-xdefer: what the dialer gets of the Redis store (a test adds a day's history); default the store itself. */
  readonly storeView?: (store: Store) => Store;
  /**
   * issue-23 23-realaway: the agent pool on a Redis of its own (`redis://host:port`), so a test can
   * stop the pool's server alone; default the shared Redis.
   */
  readonly poolUrl?: string;
  /** issue-23 23-realaway: ioredis options for the pool's own client (`poolUrl`), e.g. `commandTimeout`. */
  readonly poolRedisOptions?: Pick<RedisOptions, 'retryStrategy' | 'commandTimeout' | 'enableOfflineQueue'>;
}

/** One node: its dialer and the parts a test script drives. */
export interface NodeDialer<T> {
  readonly dialer: Dialer;
  readonly clock: Clock;
  readonly random: Random;
  readonly trunk: T;
  readonly agentPool: ReturnType<typeof createRedisAgentPool> | undefined;
  /** Write one JSON line (the node's id added) on stdout. */
  readonly say: (event: Record<string, unknown>) => void;
  /** Close the dialer, then the node's Redis connections (a node in a test's process). */
  readonly close: () => Promise<void>;
}

/** Build a node's dialer on the shared Redis (see the file's comment). */
export function createNodeDialer<T extends Trunk & { readonly media?: MediaBridge }>(options: NodeDialerOptions<T>): NodeDialer<T> {
  const { url, nodeId } = options;
  const clusterNodes = url.startsWith('cluster://')
    ? url
        .slice('cluster://'.length)
        .split(',')
        .map((hostPort) => ({ host: hostPort.split(':')[0] as string, port: Number(hostPort.split(':')[1]) }))
    : undefined;
  const redis = clusterNodes
    ? new Cluster(clusterNodes, { redisOptions: { maxRetriesPerRequest: 2 } })
    : new Redis(url, { maxRetriesPerRequest: 2 });
  redis.on('error', () => {}); // reconnects and failovers: the engine reports store outages itself (storeAvailability)
  const tenant = options.tenant ?? NODE_TENANT;
  const clock = options.clock ?? systemClock();
  const random = seededRandom(options.seed ?? (nodeId === 'a' ? 1 : 2));
  const trunk = options.trunk(clock, random.split('trunk'));
  const queueCluster =
    clusterNodes && options.sharedQueue !== false ? new Cluster(clusterNodes, { redisOptions: { maxRetriesPerRequest: null } }) : undefined;
  const queueConnection = queueCluster
    ? { connection: queueCluster, prefix: `{paceline:${tenant}}:bull` }
    : { connection: { host: new URL(url).hostname, port: Number(new URL(url).port) } };
  const poolRedis = options.poolUrl ? new Redis(options.poolUrl, { maxRetriesPerRequest: 2, ...options.poolRedisOptions }) : undefined;
  poolRedis?.on('error', () => {}); // the pool's server away: the engine reports the failing calls itself
  const agentPool = options.pooled ? createRedisAgentPool({ redis: poolRedis ?? redis, tenant }) : undefined;
  const dialer = createDialer({
    store: (options.storeView ?? ((store: Store) => store))(createRedisStore({ redis, tenant, clock })),
    ...(options.sharedQueue === false
      ? {}
      : { queue: createBullJobQueue({ ...queueConnection, tenant, clock, random: random.split('queue') }) }),
    ...(agentPool ? { agentPool: options.poolView?.(agentPool) ?? agentPool } : {}),
    leadership: { lease: createRedisLease({ redis, tenant }), ttlMs: options.leaseTtlMs ?? 3_000 },
    trunk,
    ...(trunk.media ? { media: trunk.media } : {}),
    ...(options.compliance ? { compliance: options.compliance } : {}),
    clock,
    random: random.split('engine'),
    logger: silentLogger,
    nodeId,
    tickIntervalMs: options.tickIntervalMs ?? 250,
    ...(options.inbound ? { inbound: options.inbound } : {}),
  });
  const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ node: nodeId, ...event })}\n`);
  const close = async () => {
    await dialer.close();
    await redis.quit();
    await queueCluster?.quit();
    poolRedis?.disconnect();
  };
  return { dialer, clock, random, trunk, agentPool, say, close };
}
