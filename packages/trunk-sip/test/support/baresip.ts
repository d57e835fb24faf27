import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpTcpPort, watchPeer } from './sipp';

/** Where Debian's baresip package keeps its modules. */
const MODULE_DIRS = ['/usr/lib/baresip/modules', '/usr/local/lib/baresip/modules'];

/** The installed baresip's version (`1.0.0`), or undefined without one. */
export function baresipVersion(): string | undefined {
  try {
    // `-h` prints the banner and exits (non-zero on some builds).
    const out = execFileSync('baresip', ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /baresip v(\S+)/.exec(out)?.[1];
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return /baresip v(\S+)/.exec(`${stdout ?? ''}${stderr ?? ''}`)?.[1];
  }
}

/** A running baresip user agent. */
export interface BaresipAgent {
  /** Its SIP port (UDP) on 127.0.0.1. */
  readonly port: number;
  /** The last lines it printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Who answers and what it says. */
export interface BaresipOptions {
  /** Parent directory; the agent's config directory is created inside it. */
  readonly dir: string;
  /** The user part it answers for: the number we dial (baresip matches the Request-URI user). */
  readonly user: string;
  /** 8 kHz mono 16-bit PCM WAV it plays as its microphone. baresip hangs up when the file ends. */
  readonly wav: string;
}

/**
 * Start baresip with a temporary config directory (`-f`): no audio device (the `aufile`
 * module is the audio source, nothing plays), G.711 only, one account with
 * `answermode=auto` (the `menu` module answers every call), SIP and RTP on 127.0.0.1.
 */
export async function startBaresip(options: BaresipOptions): Promise<BaresipAgent> {
  // The free port is picked before baresip binds it: a test running beside this one (many SIP
  // tests start peers in parallel) can take it in between. Then baresip exits at once with
  // "Address already in use", and a new port is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBaresipOnce(options);
    } catch (error) {
      if (attempt >= 4 || !String(error).includes('Address already in use')) throw error;
    }
  }
}

async function startBaresipOnce(options: BaresipOptions): Promise<BaresipAgent> {
  const moduleDir = MODULE_DIRS.find((d) => existsSync(join(d, 'aufile.so')));
  if (!moduleDir) throw new Error(`baresip: no module directory with aufile.so among ${MODULE_DIRS.join(', ')}`);
  const port = await freeUdpTcpPort();
  const home = join(options.dir, `baresip-${port}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${port}`,
      'net_interface 127.0.0.1',
      `audio_source aufile,${options.wav}`,
      'ausrc_srate 8000',
      'audio_level no',
      `module_path ${moduleDir}`,
      'module g711.so',
      'module aufile.so',
      'module_app account.so',
      'module_app menu.so',
      '',
    ].join('\n'),
  );
  writeFileSync(join(home, 'accounts'), `<sip:${options.user}@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA\n`);
  writeFileSync(join(home, 'contacts'), '');
  const child: ChildProcess = spawn('baresip', ['-f', home], { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  const { log, exited, hasExited } = await watchPeer('baresip', child, port);
  return {
    port,
    log,
    stop: async () => {
      // On the first SIGTERM baresip waits for its SIP transactions to end (up to 64×T1 = 32 s,
      // RFC 3261 17.2.2); a second signal makes it exit at once.
      for (const [signal, waitMs] of [
        ['SIGTERM', 300],
        ['SIGTERM', 2_000],
        ['SIGKILL', 2_000],
      ] as const) {
        if (hasExited()) return;
        child.kill(signal);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, waitMs))]);
      }
    },
  };
}
