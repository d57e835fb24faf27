import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// mediasoup 3.12 reads MEDIASOUP_WORKER_BIN when it loads: find (or build) the worker first.
if (!process.env.MEDIASOUP_WORKER_BIN) {
  const script = fileURLToPath(new URL('../../.ci/build-mediasoup-worker', import.meta.url));
  process.env.MEDIASOUP_WORKER_BIN = execFileSync(script, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
const { startAgentDesk } = await import('./server');
// SIP_TRUNK=host:port calls through a SIP carrier (or SIPp); without it the trunk is simulated.
const [sipHost, sipPort] = (process.env.SIP_TRUNK ?? '').split(':');
// DASHBOARD_MANAGER_TOKEN / DASHBOARD_VIEWER_TOKEN (≥ 16 characters) mount the dashboard at /dashboard/.
const manager = process.env.DASHBOARD_MANAGER_TOKEN;
const viewer = process.env.DASHBOARD_VIEWER_TOKEN;
const desk = await startAgentDesk({
  port: Number(process.env.PORT ?? 3100),
  ...(sipHost ? { sip: { host: sipHost, port: Number(sipPort ?? 5060) } } : {}),
  ...(manager || viewer ? { dashboard: { tokens: { ...(manager ? { manager } : {}), ...(viewer ? { viewer } : {}) } } } : {}),
});
console.log(`agent desk: open ${desk.url} (Ctrl-C to stop)`);
if (manager || viewer) console.log(`dashboard: open ${desk.url}dashboard/?token=<your token>`);
process.once('SIGINT', () => void desk.close().then(() => process.exit(0)));
