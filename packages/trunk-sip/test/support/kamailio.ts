import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeTcpPort, freeUdpPort, watchPeer } from './sipp';

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
  return { port, ...(await runKamailio('kamailio', cfg, options.dir, port, ['16', '4'])) };
}

/**
 * Run Kamailio in the foreground on `cfg` with `[shared, private]` memory in MB, until its
 * UDP `port` listens; `stop` sends SIGTERM (the main process stops its children) and waits.
 */
async function runKamailio(
  label: string,
  cfg: string,
  dir: string,
  port: number,
  [sharedMb, privateMb]: readonly [string, string],
): Promise<{ readonly log: () => string; readonly stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(KAMAILIO, ['-f', cfg, '-DD', '-E', '-w', dir, '-m', sharedMb, '-M', privateMb], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const { log, exited, hasExited } = await watchPeer(label, child, port);
  return {
    log,
    stop: async () => {
      if (hasExited()) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** PEM files of a throw-away CA and a server certificate it signed (for 127.0.0.1 and localhost). */
export interface TestCertificates {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

/**
 * Make a CA and a server certificate for `127.0.0.1` / `localhost` with openssl in `dir`
 * (`name` keeps several sets apart). RSA 2048, valid one day: only for tests.
 */
export function makeTestCertificates(dir: string, name: string): TestCertificates {
  const path = (file: string) => join(dir, `${name}-${file}`);
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name} test CA`,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
  ]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', path('server.key'), '-out', path('server.csr')]);
  writeFileSync(path('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl([
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    path('san.ext'),
    '-out',
    path('server.pem'),
  ]);
  return { caCert: path('ca.pem'), serverCert: path('server.pem'), serverKey: path('server.key') };
}

/** True when Debian's kamailio-tls-modules is installed (tls.so beside the other modules). */
export function kamailioTlsAvailable(): boolean {
  return MODULE_DIRS.some((d) => existsSync(join(d, 'tls.so')));
}

/** A running Kamailio that takes SIP over TLS and relays it over UDP. */
export interface KamailioTlsProxy {
  /** Its TLS port on 127.0.0.1. */
  readonly tlsPort: number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Kamailio as a carrier's TLS edge (RFC 3261 26.2, `sips:` on a TLS listener with the given
 * certificate) in front of a UAS on UDP: it record-routes (double Record-Route, one per
 * transport, so our ACK and BYE come back over TLS) and relays statefully. Modules: tls, tm,
 * sl, rr, pv. A UDP listener is opened too, for the relay towards the UAS.
 */
export async function startKamailioTls(options: {
  dir: string;
  targetPort: number;
  certificates: TestCertificates;
}): Promise<KamailioTlsProxy> {
  const moduleDir = MODULE_DIRS.find((d) => existsSync(join(d, 'tls.so')));
  if (!moduleDir) throw new Error('kamailio: tls.so missing (apt-get install kamailio-tls-modules)');
  const udpPort = await freeUdpPort();
  const tlsPort = await freeTcpPort();
  const quote = (s: string) => JSON.stringify(s);
  const tlsCfg = join(options.dir, `kamailio-tls-${tlsPort}.cfg`);
  writeFileSync(
    tlsCfg,
    `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\nprivate_key = ${options.certificates.serverKey}\ncertificate = ${options.certificates.serverCert}\n\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n`,
  );
  const cfg = join(options.dir, `kamailio-${tlsPort}.cfg`);
  writeFileSync(
    cfg,
    `#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=1
tcp_children=1
enable_tls=yes
auto_aliases=no
listen=udp:127.0.0.1:${udpPort}
listen=tls:127.0.0.1:${tlsPort}
mpath=${quote(`${moduleDir}/`)}

loadmodule "tls.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
modparam("tls", "config", ${quote(tlsCfg)})

request_route {
  if ($tt != $null) {
    if (loose_route()) { t_relay(); exit; }
    if ($rm == "ACK") { if (t_check_trans()) t_relay(); exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if ($rm == "CANCEL") { if (t_check_trans()) t_relay(); exit; }
  if ($rm == "INVITE") record_route();
  $du = "sip:127.0.0.1:${options.targetPort};transport=udp";
  t_relay();
}
`,
  );
  return { tlsPort, ...(await runKamailio('kamailio (tls)', cfg, options.dir, udpPort, ['32', '8'])) };
}
