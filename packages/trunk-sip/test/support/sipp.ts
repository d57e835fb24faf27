import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { SipTrunkConfig } from '../../src/index';

/** Where the scenario XML files live. */
export const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');

/** A trunk pointed at a SIPp peer on this machine. */
export const carrier = (id: string, peer: { readonly port: number }, extra: Partial<SipTrunkConfig> = {}): SipTrunkConfig => ({
  id,
  host: '127.0.0.1',
  port: peer.port,
  ...extra,
});

/** SIPp's arguments to trace its messages and errors to `<dir>/<name>.log` and `.err` (kept with KEEP_HELD). */
export const sippTrace = (dir: string, name: string): string[] => [
  '-trace_msg',
  '-message_file',
  join(dir, `${name}.log`),
  '-trace_err',
  '-error_file',
  join(dir, `${name}.err`),
];

/** Where failed runs' SIPp traces are copied (they outlive the test's temp dir): `SIPP_TRACE_DIR` or the OS temp dir. */
export const FAILED_TRACES = process.env.SIPP_TRACE_DIR ?? join(tmpdir(), 'paceline-sipp-failures');

/** The last `lines` lines of a file, or a note that it is missing. */
function tail(path: string, lines: number): string {
  if (!existsSync(path)) return `(no ${basename(path)}: SIPp wrote none)`;
  const all = readFileSync(path, 'utf8').split('\n');
  return `${all.length > lines ? `… ${all.length - lines} earlier lines in the file …\n` : ''}${all.slice(-lines).join('\n')}`;
}

/**
 * When the test fails (an assertion, or the test's timeout while SIPp still waits), print the
 * tail of SIPp's message trace and error log of the {@link sippTrace} run `name` in `dir`, and
 * copy both files to {@link FAILED_TRACES}, naming the copies. Pass the test context's
 * `onTestFailed` (the global one cannot tell concurrent tests apart).
 */
export function showSippTraceOnFailure(onTestFailed: (handler: () => void) => void, dir: string, name: string): void {
  onTestFailed(() => {
    const kept = join(FAILED_TRACES, `${name}-${process.pid}-${Date.now()}`);
    mkdirSync(FAILED_TRACES, { recursive: true });
    const parts = [`SIPp run ${name} of the failed test: trace kept as ${kept}.log / .err`];
    for (const [ext, lines] of [
      ['log', 150],
      ['err', 40],
    ] as const) {
      const file = join(dir, `${name}.${ext}`);
      if (existsSync(file)) copyFileSync(file, `${kept}.${ext}`);
      parts.push(`--- ${name}.${ext} ---`, tail(file, lines));
    }
    console.error(parts.join('\n'));
  });
}

/**
 * A concrete copy, in `dir`, of a scenario template whose `[$name]` placeholders SIPp cannot
 * take from `-set` (a response's status code is read when the scenario loads). Returns its path.
 */
export function scenarioFrom(template: string, values: Readonly<Record<string, string | number>>, dir: string): string {
  let text = readFileSync(join(SCENARIOS, template), 'utf8').replace(/^\s*<Global variables="[^"]*" \/>\n/m, '');
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`[$${name}]`, String(value));
  const path = join(dir, `${basename(template).replace(/\.xml$/, '')}-${Object.values(values).join('-')}.xml`);
  writeFileSync(path, text);
  return path;
}

/**
 * {@link startSipp} on `scenario` with its message trace and error log named `name` in `dir`
 * ({@link sippTrace}), printed and kept when the test fails ({@link showSippTraceOnFailure}).
 */
export async function startTracedSipp(
  onTestFailed: (handler: () => void) => void,
  scenario: string,
  dir: string,
  name: string,
  maxCalls = 1,
): Promise<SippPeer> {
  const peer = await startSipp(scenario, dir, maxCalls, sippTrace(dir, name));
  showSippTraceOnFailure(onTestFailed, dir, name);
  return peer;
}

/** True when the `sipp` binary runs. */
export function sippAvailable(): boolean {
  try {
    execFileSync('sipp', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // `sipp -v` exits non-zero on some builds; it exists if it ran at all.
    return (error as { code?: string }).code !== 'ENOENT';
  }
}

/** A free UDP port on 127.0.0.1 (asked of the OS, then released). */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port free on 127.0.0.1 for both UDP and TCP (for peers that listen on both, like baresip). */
export async function freeUdpTcpPort(): Promise<number> {
  for (;;) {
    const port = await freeUdpPort();
    const server = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

/**
 * Resolves once a process has bound UDP `port` (a peer is up), or rejects after `maxMs` or when
 * `exited()` says the peer died. Reads /proc/net/udp, so probing never races the peer's bind.
 */
export async function waitForUdpBind(port: number, maxMs: number, exited: () => boolean): Promise<void> {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (let waited = 0; waited < maxMs; waited += 50) {
    if (exited()) throw new Error(`the peer exited before binding UDP port ${port}`);
    const table = readFileSync('/proc/net/udp', 'utf8');
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(local))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing bound UDP port ${port} within ${maxMs} ms`);
}

/** A running SIPp UAS. */
export interface SippPeer {
  readonly port: number;
  /** SIPp's exit code once it exits (0: every call passed its scenario). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** SIPp's exit code (−2) when it cannot bind a socket: a port taken between asking the OS and binding it. */
const SIPP_BIND_FAILED = 254;
/** How many times {@link spawnSippOnFreshPorts} asks for fresh ports when SIPp finds one taken. */
const BIND_TRIES = 5;
/** How long SIPp is given to bind its sockets before it counts as started, ms. */
const BIND_MS = 300;

/** The ports one SIPp run binds: its SIP port and its media (RTP) port. */
export interface SippPorts {
  readonly port: number;
  readonly mediaPort: number;
}

/** A SIPp process that bound its ports. */
export interface SpawnedSipp extends SippPorts {
  readonly child: ChildProcess;
  /** SIPp's exit code once it exits. */
  readonly exited: Promise<number | null>;
}

/**
 * dnc-shared: the one way the tests start SIPp. The ports come from `ports()` — asked of the OS
 * and released before SIPp binds them — so a test running beside this one can take one in
 * between: SIPp then exits 254 at once, and it is started again on the ports `ports()` gives
 * next (fresh ones; a caller keeps its SIP port, which the trunk's config names, and gets a
 * fresh media port), up to {@link BIND_TRIES} times.
 */
export async function spawnSippOnFreshPorts(
  name: string,
  cwd: string,
  ports: () => Promise<SippPorts>,
  args: (ports: SippPorts) => readonly string[],
): Promise<SpawnedSipp> {
  for (let attempt = 1; ; attempt++) {
    const bound = await ports();
    const child: ChildProcess = spawn('sipp', [...args(bound)], { cwd, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Give SIPp time to bind its sockets.
    await new Promise((resolve) => setTimeout(resolve, BIND_MS));
    if (child.exitCode !== SIPP_BIND_FAILED) return { ...bound, child, exited };
    if (attempt === BIND_TRIES) throw new Error(`sipp ${name}: a port was taken before SIPp could bind it, ${BIND_TRIES} times`);
  }
}

/**
 * Start SIPp as the carrier running `scenario` (file name in SCENARIOS), with WAVs in `cwd`.
 * `transport` is SIPp's `-t`: `u1` (UDP, one socket) or `t1` (TCP, one connection). Fresh ports
 * on every try ({@link spawnSippOnFreshPorts}).
 */
export async function startSipp(
  scenario: string,
  cwd: string,
  maxCalls?: number,
  extraArgs: readonly string[] = [],
  transport: 'u1' | 't1' = 'u1',
): Promise<SippPeer> {
  const { port, child, exited } = await spawnSippOnFreshPorts(
    scenario,
    cwd,
    async () => ({ port: transport === 't1' ? await freeTcpPort() : await freeUdpPort(), mediaPort: await freeUdpPort() }),
    ({ port, mediaPort }) => [
      ...['-sf', isAbsolute(scenario) ? scenario : join(SCENARIOS, scenario)],
      ...['-p', String(port), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-mp', String(mediaPort)],
      ...['-t', transport, '-nostdin', '-nd'],
      ...(maxCalls ? ['-m', String(maxCalls)] : []),
      ...extraArgs,
    ],
  );
  // A UAC scenario may be done already (exit 0); a UAS that exited failed to start.
  if (child.exitCode !== null && child.exitCode !== 0) throw new Error(`sipp ${scenario} exited with ${child.exitCode}`);
  return {
    port,
    exited,
    stop: () => stopSipp(child, exited),
  };
}

/**
 * Stop a SIPp process: SIGTERM, then SIGKILL after 2 s — SIPp in the middle of a transaction can
 * sit on SIGTERM until its own -timeout (60 s, as long as vitest's hook timeout).
 */
export async function stopSipp(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(killer);
}

/** A peer process the tests started: its recent output, and a promise of its exit. */
export interface WatchedPeer {
  /** The last 40 lines the peer wrote (stdout and stderr), for failure messages. */
  readonly log: () => string;
  readonly exited: Promise<void>;
  readonly hasExited: () => boolean;
}

/**
 * Keep the last lines of `child`'s output and wait until it listens on UDP `port`; when it
 * does not within 5 s, stop it and throw with its output (`name did not start: …`).
 */
export async function watchPeer(name: string, child: ChildProcess, port: number): Promise<WatchedPeer> {
  let lines: string[] = [];
  const keep = (chunk: string) => {
    lines = [...lines, ...chunk.split('\n')].slice(-40);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const log = () => lines.join('\n');
  try {
    await waitForUdpBind(port, 5_000, hasExited);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${name} did not start: ${String(error)}\n${log()}`);
  }
  return { log, exited, hasExited };
}
