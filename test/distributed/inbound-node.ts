/**
 * issue-23: one engine "node" for the inbound-across-the-pool test: a real-time dialer on a shared
 * Redis (store, lease, agent pool, BullMQ) with an inbound queue, trunk-sim with the test's
 * inbound half, and simulated agents who answer inbound calls. Prints one JSON line per event.
 *   tsx --conditions=@paceline/source inbound-node.ts <redis-url> <node-id> <agents> [--callers <n>]
 * With --callers, once another node's agent shows in the pool, it places n service calls (withheld
 * numbers) and one returned call from contact c0, whose agent asks for do-not-call.
 * --oldest (one view of the queues): on the node with agents (b) a caller of its own (`busy`)
 * takes its agent, agents talk 4 s; node a places one caller (`older`) once b's agent is on a
 * call; b places a second caller of its own (`newer`) once a's caller shows in the shared queue view.
 * --silent (a silent node): agents talk 4 s, a node's first call until two callers wait in the
 * shared queue view; on SIGUSR2 node a places `first`, then 100 ms later `second`, then 900 ms
 * later `third` (the test has frozen one agent's node with SIGSTOP first).
 * --lease-ttl <ms> (tidy): the nodes' lease TTL (default the node builder's 3 s); a frozen node's
 * pool entries stay fresh that long after its last heartbeat.
 * --stats (issue-23 23-dist, pool queue statistics): the node prints its `inbound.status()`
 * queue numbers whenever they change (`status` lines). With agents (b): it places `b-first` and
 * `b-second` at once, and `b-second` hangs up 300 ms later while waiting (a queue abandon).
 * Without (a): once another node's agent shows in the pool, it places `a-first`.
 */
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { withInbound } from '../e2e/support/inbound-test-trunk';
import { progressiveCampaign } from '../support/campaign';
import { createNodeDialer } from './node-dialer';

const [url, nodeId, agentsArg] = process.argv.slice(2);
const callersIndex = process.argv.indexOf('--callers');
const callers = callersIndex > 0 ? Number(process.argv[callersIndex + 1]) : 0;
const oldest = process.argv.includes('--oldest');
const silent = process.argv.includes('--silent');
const leaseTtlIndex = process.argv.indexOf('--lease-ttl');
const leaseTtlMs = leaseTtlIndex > 0 ? Number(process.argv[leaseTtlIndex + 1]) : undefined;
const talkMs = oldest || silent ? 4_000 : 800;
const SERVICE_LINE = '+12125550199';
const RETURNING = '+12125553000';

// dnc-shared: the same node set-up as engine-node.ts (one builder), pooled, with an inbound queue.
const {
  dialer,
  clock,
  trunk,
  agentPool: pool,
  say,
} = createNodeDialer({
  url: url as string,
  nodeId: nodeId as string,
  pooled: true,
  ...(leaseTtlMs === undefined ? {} : { leaseTtlMs }),
  trunk: (clock, random) =>
    withInbound(
      createSimTrunk({ clock, random, model: scriptedOutcomeModel({}, { outcome: 'no-answer', resolveAfterMs: 4_000 }) }),
      clock,
      `${nodeId}-in`,
    ),
  inbound: { queues: [{ id: 'service', numbers: [SERVICE_LINE], skills: ['service'] }] },
});
const agentPool = pool as NonNullable<typeof pool>;
/** Wait `ms` on the node's clock. */
const sleep = (ms: number) => new Promise((resolve) => clock.setTimer(ms, () => resolve(undefined)));
/** Place one call to the service line labelled `label`, from `from` (default a withheld number); returns its call id. */
const place = (label: string, from?: string) => {
  const callId = trunk.call(from, SERVICE_LINE);
  say({ type: 'placed', attempt: callId, state: label, at: clock.now() });
  return callId;
};
/** Inbound calls this node's agents answered. */
let answered = 0;
/**
 * --silent: the first call this node's agent takes lasts until two callers wait in the shared view
 * of the queues — `third`, and `first` back from its timed-out offer to the frozen node — so the
 * agent frees with both waiting and the order it serves them is the rule's, not a race with the
 * offer deadline (on a fixed 4 s, a late deadline on a loaded machine let `third` in first).
 */
async function twoWaiting(): Promise<void> {
  const waiting = async () => ((await agentPool.listWaiting?.(clock.now() - 3_000)) ?? []).length;
  while ((await waiting()) < 2) await sleep(100);
}
dialer.on('inbound.connected', (e) => {
  say({ type: 'connected', attempt: e.callId, agent: e.agentId, state: e.caller.kind, latency: e.waitMs, at: clock.now() });
  if (!e.agentId.startsWith(`${nodeId}-`)) return;
  // The agent talks (800 ms, 4 s with --oldest); a returned caller asks not to be called again.
  const talked = silent && ++answered === 1 ? twoWaiting() : Promise.resolve();
  clock.setTimer(talkMs, () => {
    const dnc = e.caller.kind === 'returned' ? (dialer.inbound?.requestDnc(e.callId) ?? Promise.resolve()) : Promise.resolve();
    void talked
      .then(() => dnc)
      .then(() => dialer.hangup(e.callId))
      .catch((error: unknown) => say({ type: 'error', where: 'agent', message: String(error) }));
  });
});
dialer.on('inbound.ended', (e) => {
  say({ type: 'ended', attempt: e.callId, agent: e.agentId, at: clock.now() });
  if (!e.agentId?.startsWith(`${nodeId}-`)) return;
  const code = e.caller.kind === 'returned' ? 'NOT_INTERESTED' : 'SERVICE';
  clock.setTimer(300, () => {
    void dialer.disposition(e.callId, code).catch((error: unknown) => say({ type: 'error', where: 'agent', message: String(error) }));
  });
});
dialer.on('inbound.dispositioned', (e) =>
  say({ type: 'dispositioned', attempt: e.callId, agent: e.agentId, code: e.code, at: clock.now() }),
);
dialer.on('inbound.dnc', (e) => say({ type: 'dnc', attempt: e.callId, contact: e.contacts.map((c) => c.contactId).join(',') }));
dialer.on('inbound.abandoned', (e) => say({ type: 'abandoned', attempt: e.callId, latency: e.waitMs, at: clock.now() })); // issue-23 23-dist
dialer.on('error', (e) => say({ type: 'error', where: e.where, message: String((e.error as Error)?.message ?? e.error) }));

const statsCampaign = process.argv.includes('--stats') && Number(agentsArg) === 0; // issue-23 23-dist
if (callers > 0 || ((oldest || silent) && Number(agentsArg) === 0) || statsCampaign) {
  await dialer.addCampaign(progressiveCampaign('dist', { name: 'distributed', homeTimeZone: 'UTC' }));
  await dialer.addContacts('dist', [{ id: 'c0', phones: [{ number: RETURNING }] }]);
} else {
  await dialer.recover();
}
for (let i = 0; i < Number(agentsArg); i++) {
  dialer.loginAgent({ id: `${nodeId}-agent-${i}`, name: `${nodeId} ${i}`, skills: ['service'] }, ['dist']);
  dialer.ready(`${nodeId}-agent-${i}`);
}
say({ type: 'ready' });

if (callers > 0) {
  // Wait until another node's agent is in the pool, then place the calls 1.5 s apart.
  const others = async () => (await agentPool.list('dist', clock.now() - 3_000)).filter((a) => !a.nodeId.startsWith(`${nodeId}-`));
  while ((await others()).length === 0) await sleep(200);
  for (let i = 0; i <= callers; i++) {
    const from = i === callers ? RETURNING : undefined;
    place(from ? 'returned' : 'service', from);
    await sleep(1_500);
  }
}

if (oldest && Number(agentsArg) === 0) {
  // a: once another node's agent is on a call, one caller
  const onCall = async () =>
    (await agentPool.list('dist', clock.now() - 3_000)).some((a) => !a.nodeId.startsWith(`${nodeId}-`) && a.state === 'on-call');
  while (!(await onCall())) await sleep(100);
  place('older');
} else if (oldest) {
  // b: a caller of its own for its agent; a second one once a's caller is in the shared view of the queues
  while ((await agentPool.list('dist', clock.now() - 3_000)).every((a) => !a.nodeId.startsWith(`${nodeId}-`))) await sleep(100);
  place('busy');
  const waitingOnA = async () =>
    ((await agentPool.listWaiting?.(clock.now() - 3_000)) ?? []).some((c) => !c.nodeId.startsWith(`${nodeId}-`));
  while (!(await waitingOnA())) await sleep(100);
  place('newer');
}
if (silent && Number(agentsArg) === 0) {
  process.on('SIGUSR2', () => {
    void (async () => {
      place('first');
      await sleep(100);
      place('second');
      await sleep(900);
      place('third');
    })();
  });
}

// issue-23 23-dist: --stats, the pool's queue statistics (see the header).
if (process.argv.includes('--stats')) {
  let last = '';
  const show = () => {
    const q = dialer.inbound?.status().queues[0];
    if (q) {
      const shown = {
        answered: q.answered,
        answeredWithinTarget: q.answeredWithinTarget,
        abandoned: q.abandoned,
        serviceLevel: q.serviceLevel,
        asaMs: q.asaMs,
        ...(q.pool ? { offered: q.pool.offered, interval: q.pool.interval } : {}),
      };
      const line = JSON.stringify(shown);
      if (line !== last) {
        last = line;
        say({ type: 'status', scope: q.pool ? 'pool' : 'node', ...shown });
      }
    }
    clock.setTimer(100, show);
  };
  show();
  if (Number(agentsArg) > 0) {
    place('b-first');
    const second = place('b-second');
    clock.setTimer(300, () => {
      if (second) trunk.callerHangsUp(second);
    });
  } else {
    while ((await agentPool.list('dist', clock.now() - 3_000)).every((a) => a.nodeId.startsWith(`${nodeId}-`))) await sleep(100);
    place('a-first');
  }
}
