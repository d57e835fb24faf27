// A throw-away Redis Cluster for tests and benchmarks: `redis-server --cluster-enabled yes`
// processes on free ports, joined with `redis-cli --cluster create`. Three masters and, by
// default, one replica each (six processes, a few MB each). Without vitest, like redis-process.ts.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-process';

const run = promisify(execFile);
const HOST = '127.0.0.1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How to start a cluster. */
export interface RedisClusterOptions {
  /** Masters (default 3, the minimum Redis accepts). */
  readonly masters?: number;
  /** Replicas per master (default 1): a master's death promotes its replica. */
  readonly replicas?: number;
  /** `cluster-node-timeout`, ms (default 2 000): how long a master may be silent before its replica takes over. */
  readonly nodeTimeoutMs?: number;
  /** `appendfsync` of every node (default `everysec`). */
  readonly appendFsync?: 'always' | 'everysec';
}

/** One node of the cluster. */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

/** A running cluster owned by one test file. */
export interface RedisCluster {
  /** Every node; give them all to ioredis's `Cluster` as startup nodes. */
  readonly nodes: readonly ClusterNode[];
  /** The master serving `key`'s slot now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Kill a node with SIGKILL (no restart): with a replica, the cluster promotes it within a few node timeouts. */
  kill(node: ClusterNode): Promise<void>;
  /**
   * rb11: send a node `SIGSTOP` (frozen: it keeps its connections and answers nothing, as a stalled
   * machine or a half-open link) or `SIGCONT`. Frozen past `nodeTimeoutMs`, the others mark it failed.
   */
  signal(node: ClusterNode, signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** Resolves once every live node reports `cluster_state:ok` and `key`'s slot has a live master. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once every live replica of `master` has acknowledged all that `master` had written
   * when the call began (its replication offset sampled then). Before killing a master, this
   * makes a failover lose only what was written after the call — replication's own lag — and
   * not a replica still in its first sync.
   */
  waitReplicated(master: ClusterNode, timeoutMs?: number): Promise<void>;
  /** Run `redis-cli` against a node (e.g. `INFO commandstats`). */
  cli(node: ClusterNode, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Start the cluster and wait until it serves every slot. */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 1;
  const count = masters * (1 + replicas);
  const dir = mkdtempSync(join(tmpdir(), 'paceline-cluster-'));
  const ports: number[] = [];
  // Cluster nodes also listen on port + 10000 (the bus): pick ports whose bus port is free too.
  while (ports.length < count) {
    const port = await freePort();
    if (port + 10_000 < 65_536 && !ports.includes(port)) ports.push(port);
  }
  const children = new Map<number, ChildProcess>();
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-h', HOST, '-p', String(port), ...args])).stdout;
  for (const port of ports) {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        HOST,
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        String(options.nodeTimeoutMs ?? 2_000),
        '--appendonly',
        'yes',
        '--appendfilename',
        `appendonly-${port}.aof`,
        '--appenddirname',
        `aof-${port}`,
        '--appendfsync',
        options.appendFsync ?? 'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        // A replica's first sync starts at once (Redis waits 5 s by default for more replicas to join).
        '--repl-diskless-sync-delay',
        '0',
      ],
      { stdio: 'ignore' },
    );
    children.set(port, child);
  }
  const live = () => ports.filter((p) => children.get(p)?.exitCode === null && children.get(p)?.signalCode === null);
  for (const port of ports) {
    for (let i = 0; ; i++) {
      try {
        if ((await cli(port, 'PING')).includes('PONG')) break;
      } catch {
        // not up yet
      }
      if (i > 200) throw new Error(`cluster node ${port} did not answer PING`);
      await sleep(25);
    }
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((p) => `${HOST}:${p}`),
    '--cluster-replicas',
    String(replicas),
    '--cluster-yes',
  ]);
  const cluster: RedisCluster = {
    nodes: ports.map((port) => ({ host: HOST, port })),
    async masterOf(key) {
      const port = live()[0] as number;
      const slot = Number((await cli(port, 'CLUSTER', 'KEYSLOT', key)).trim());
      // CLUSTER SHARDS would be nicer; CLUSTER NODES works on every 7.x: "<id> <host:port@bus> <flags> <master> … <slots>".
      for (const line of (await cli(port, 'CLUSTER', 'NODES')).split('\n')) {
        const parts = line.trim().split(' ');
        if (!parts[2]?.includes('master') || parts[2].includes('fail')) continue;
        for (const range of parts.slice(8)) {
          const [from, to] = range.split('-').map(Number);
          if (from !== undefined && slot >= from && slot <= (to ?? from)) {
            return { host: HOST, port: Number(parts[1]?.split(':')[1]?.split('@')[0]) };
          }
        }
      }
      throw new Error(`no live master serves slot ${slot} (${key})`);
    },
    async kill(node) {
      const child = children.get(node.port);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async waitHealthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(live().map((p) => cli(p, 'CLUSTER', 'INFO').catch(() => '')));
        if (states.every((s) => s.includes('cluster_state:ok'))) return;
        if (Date.now() > deadline) throw new Error(`the cluster is not healthy after ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async waitReplicated(master, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const target = Number(/master_repl_offset:(\d+)/.exec(await cli(master.port, 'INFO', 'replication'))?.[1] ?? Number.NaN);
      for (;;) {
        const info = await cli(master.port, 'INFO', 'replication');
        // "slave0:ip=…,port=…,state=online,offset=…,lag=…", one line per replica.
        const replicas = [...info.matchAll(/^slave\d+:.*state=(\w+),offset=(\d+)/gm)];
        if (replicas.length > 0 && replicas.every(([, state, offset]) => state === 'online' && Number(offset) >= target)) return;
        if (Date.now() > deadline)
          throw new Error(`the replicas of ${master.port} did not reach offset ${target} in ${timeoutMs} ms:\n${info}`);
        await sleep(50);
      }
    },
    signal(node, signal) {
      const child = children.get(node.port);
      if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`no live cluster node on port ${node.port}`);
      child.kill(signal);
    },
    cli: (node, ...args) => cli(node.port, ...args),
    async stop() {
      await Promise.all(
        [...children.values()].map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.waitHealthy();
  // Serving every slot is not being replicated: each master's replicas finish their first sync.
  if (replicas > 0) {
    const roles = await Promise.all(ports.map(async (port) => ({ port, info: await cli(port, 'INFO', 'replication') })));
    const primaries = roles.filter((r) => r.info.includes('role:master')).map(({ port }) => ({ host: HOST, port }));
    await Promise.all(primaries.map((node) => cluster.waitReplicated(node)));
  }
  return cluster;
}

/** True when `redis-server` and `redis-cli` are on the PATH. */
export function redisClusterAvailable(): boolean {
  const probe = (cmd: string) => {
    const result = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
    return result.error === undefined && result.status === 0;
  };
  return probe('redis-server') && probe('redis-cli');
}
