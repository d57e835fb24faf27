import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort, watchPeer } from './sipp';

/** Where Debian's kamailio package keeps its modules. */
const MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/kamailio/modules',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules',
  '/usr/lib/kamailio/modules',
];

/** The kamailio binary: on PATH, or in /usr/sbin (not on a non-root user's PATH on Debian). */
const KAMAILIO = existsSync('/usr/sbin/kamailio') ? '/usr/sbin/kamailio' : 'kamailio';

/** The installed Kamailio's version line (`kamailio 5.6.3 (x86_64/linux)`), or undefined without one. */
export function kamailioVersion(): string | undefined {
  try {
    const out = execFileSync(KAMAILIO, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /^version: (.+)$/m.exec(out)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** A running Kamailio proxy. */
export interface KamailioProxy {
  /** Its UDP port on 127.0.0.1. */
  readonly port: number;
  /** The last lines it logged (stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** What the proxy authenticates and where it sends authenticated calls. */
export interface KamailioOptions {
  /** Working directory; the config is written here. */
  readonly dir: string;
  /** The UDP port of the UAS behind the proxy (SIPp) on 127.0.0.1. */
  readonly targetPort: number;
  readonly realm: string;
  readonly username: string;
  readonly password: string;
}

/**
 * A database-free Kamailio config: it challenges every INVITE with 407 (RFC 3261 22.3) and
 * checks the digest against one static password (`pv_proxy_authenticate`, auth module), then
 * record-routes (RFC 3261 16.6) and relays the call statefully (tm) to the UAS. In-dialog
 * requests (ACK, BYE) follow their Route set (rr); CANCEL matches its INVITE transaction.
 * Only tm, sl, rr, pv and auth are loaded.
 */
function kamailioConfig(port: number, moduleDir: string, options: KamailioOptions): string {
  const quote = (s: string) => JSON.stringify(s);
  return `#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=1
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:${port}
mpath=${quote(`${moduleDir}/`)}

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "auth.so"

request_route {
  if ($tt != $null) {
    if (loose_route()) { t_relay(); exit; }
    if ($rm == "ACK") { if (t_check_trans()) t_relay(); exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if ($rm == "CANCEL") { if (t_check_trans()) t_relay(); exit; }
  if ($rm == "INVITE") {
    if ($au != ${quote(options.username)} || !pv_proxy_authenticate(${quote(options.realm)}, ${quote(options.password)}, "0")) {
      auth_challenge(${quote(options.realm)}, "0");
      exit;
    }
    consume_credentials();
    record_route();
  }
  $du = "sip:127.0.0.1:${options.targetPort}";
  t_relay();
}
`;
}

/** Start Kamailio in the foreground (`-DD -E`) on a free UDP port with a temporary config. */
export async function startKamailio(options: KamailioOptions): Promise<KamailioProxy> {
  const moduleDir = MODULE_DIRS.find((d) => existsSync(join(d, 'auth.so')));
  if (!moduleDir) throw new Error(`kamailio: no module directory with auth.so among ${MODULE_DIRS.join(', ')}`);
  const port = await freeUdpPort();
  const cfg = join(options.dir, `kamailio-${port}.cfg`);
  writeFileSync(cfg, kamailioConfig(port, moduleDir, options));
  // -m/-M: 16 MB shared and 4 MB private memory are plenty for a handful of calls.
  const child: ChildProcess = spawn(KAMAILIO, ['-f', cfg, '-DD', '-E', '-w', options.dir, '-m', '16', '-M', '4'], {
    cwd: options.dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const { log, exited, hasExited } = await watchPeer('kamailio', child, port);
  return {
    port,
    log,
    stop: async () => {
      if (hasExited()) return;
      child.kill('SIGTERM'); // the main process stops its children
      await exited;
    },
  };
}
