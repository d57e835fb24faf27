import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { join } from 'node:path';

/** Where the scenario XML files live. */
export const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');

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

/** A running SIPp UAS. */
export interface SippPeer {
  readonly port: number;
  /** SIPp's exit code once it exits (0: every call passed its scenario). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Start SIPp as the carrier running `scenario` (file name in SCENARIOS), with WAVs in `cwd`. */
export async function startSipp(scenario: string, cwd: string, maxCalls?: number, extraArgs: readonly string[] = []): Promise<SippPeer> {
  const port = await freeUdpPort();
  const mediaPort = await freeUdpPort();
  const child: ChildProcess = spawn(
    'sipp',
    [
      '-sf',
      join(SCENARIOS, scenario),
      '-p',
      String(port),
      '-i',
      '127.0.0.1',
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-t',
      'u1',
      '-nostdin',
      '-nd',
      ...(maxCalls ? ['-m', String(maxCalls)] : []),
      ...extraArgs,
    ],
    { cwd, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Give SIPp time to bind its socket.
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (child.exitCode !== null) throw new Error(`sipp ${scenario} exited with ${child.exitCode}`);
  return {
    port,
    exited,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
