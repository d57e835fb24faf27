// Starting a throw-away `redis-server`, without vitest: the tests (through redis-server.ts)
// and the benchmarks (bench/fulfilment.ts) share it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to start a throw-away `redis-server` for a test file. */
export interface RedisServerOptions {
  /** `--appendonly yes` (default) so a restart keeps data; false runs without persistence. */
  readonly appendOnly?: boolean;
  /** `--appendfsync` policy; default `everysec` (Redis's default). `always` survives `kill -9` without loss. */
  readonly appendFsync?: 'always' | 'everysec' | 'no';
  /** Further `redis-server` arguments, e.g. `['--maxmemory', '64mb']`. */
  readonly extraArgs?: readonly string[];
}

/** A running `redis-server` owned by one test file. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** The data directory (AOF files); removed by `stop()`. */
  readonly dir: string;
  /** `redis://host:port`. */
  readonly url: string;
  /**
   * Stop the server (`SIGTERM`, or `SIGKILL` for a crash) and start it again on the same port
   * and dir, after `downMs` (default 0) with nothing listening. Resolves, once it answers PING
   * again, with when (`Date.now()`) it had exited and when its successor was spawned: between
   * the two no Redis process exists. `whileDown` runs then (e.g. to cut the AOF's tail, as a
   * machine crash would).
   */
  restart(signal?: 'SIGTERM' | 'SIGKILL', downMs?: number, whileDown?: () => void | Promise<void>): Promise<RedisOutage>;
  /** Stop the server and remove its directory. */
  stop(): Promise<void>;
  /** issue-23 23-realaway: the running server's process id (a test sends it `SIGSTOP` / `SIGCONT`). */
  pid(): number;
  /** issue-23 23-realaway: stop the server (its port refuses connections) until {@link relaunch}. */
  halt(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** issue-23 23-realaway: start a halted server again on the same port and dir; resolves once it answers PING. */
  relaunch(): Promise<void>;
}

/** When a restart's Redis was gone: between `exitedAt` and `relaunchedAt` (both `Date.now()`). */
export interface RedisOutage {
  /** The old process had exited (its exit event reached this process). */
  readonly exitedAt: number;
  /** The new process was spawned; it may serve commands from a moment later. */
  readonly relaunchedAt: number;
}

const HOST = '127.0.0.1';

/** True when a `redis-server` binary is on the PATH. */
export function redisServerAvailable(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One raw `PING` over TCP: true on `+PONG`. No client library, so the harness needs no dependency. */
async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilUp(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before answering PING`);
    if (await ping(port)) return;
    await sleep(25);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

async function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start `redis-server` on a free port with a fresh temporary directory, and wait until it
 * answers PING. No test depends on a Redis already running.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'paceline-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.appendOnly === false ? 'no' : 'yes',
    '--appendfsync',
    options.appendFsync ?? 'everysec',
    // docs/distributed.md: Paceline's ledgers must never be evicted.
    '--maxmemory-policy',
    'noeviction',
    ...(options.extraArgs ?? []),
  ];
  const launch = async () => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitUntilUp(port, child);
    return child;
  };
  let child = await launch();
  const halt = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const exited = waitForExit(child);
    child.kill(signal);
    await exited;
  };
  return {
    host: HOST,
    port,
    dir,
    url: `redis://${HOST}:${port}`,
    async restart(signal = 'SIGTERM', downMs = 0, whileDown) {
      await halt(signal);
      const exitedAt = Date.now();
      await whileDown?.();
      if (downMs > 0) await sleep(downMs);
      const relaunchedAt = Date.now();
      child = await launch();
      return { exitedAt, relaunchedAt };
    },
    pid: () => child.pid ?? 0,
    halt,
    async relaunch() {
      child = await launch();
    },
    async stop() {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
