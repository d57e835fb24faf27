/**
 * `pnpm demo -- --blend`: a blended day. The same retention drive, plus inbound calls into the
 * same agents — customers returning a missed campaign call (they reach the campaign's script
 * with their profile) and service calls — with a +50% inbound spike for an hour. The blend keeps
 * agents free for inbound; outbound fills the rest under the 3% abandon cap.
 */
import { AgentState, type Random, seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import { createDialer, type Dialer, type InboundStatus } from '@paceline/engine';
import { basicOutcomeModel, createSimTrunk, TYPICAL_CONSUMER_LIST } from '@paceline/trunk-sim';
import logUpdate from 'log-update';
import { generateCustomers } from './customers';
import { retentionBehaviour } from './retention-day';

const CALLER_ID = '+12125550100';
const SERVICE_LINE = '+12125550199';
const MIN = 60_000;
const HOUR = 3_600_000;

/** Options of {@link runBlendedDay}. */
export interface BlendedDayOptions {
  readonly agents: number;
  readonly contacts: number;
  readonly seed: number;
  /** Virtual seconds per wall second. */
  readonly speed: number;
  readonly live: boolean;
}

/** Lognormal with the given mean and coefficient of variation (on the injected Random). */
function lognormal(random: Random, mean: number, cv: number): number {
  const sigma2 = Math.log(1 + cv * cv);
  const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return Math.exp(Math.log(mean) - sigma2 / 2 + Math.sqrt(sigma2) * z);
}

/** Run the blended day; prints a live view, then the day's inbound and outbound figures. */
export async function runBlendedDay(options: BlendedDayOptions): Promise<void> {
  const startAt = Date.UTC(2026, 10, 23, 14, 0); // Monday 09:00 in New York
  const dayMs = 8 * HOUR;
  const random = seededRandom(options.seed);
  const clock = new VirtualClock(startAt);
  const customers = generateCustomers(options.contacts, random.split('customers'));
  const known = customers.map((c) => (c.phones as { number: string }[])[0]?.number as string);
  // Inbound is about 40% of the work: ~5 calls per agent-hour of 5-minute calls on a 12-agent floor.
  const perHour = Math.max(4, Math.round(options.agents * 2.4));
  const trunk = createSimTrunk({
    clock,
    random: random.split('trunk'),
    model: basicOutcomeModel(TYPICAL_CONSUMER_LIST),
    inbound: {
      profile: {
        dayStartMs: startAt,
        intervalMs: 30 * MIN,
        ratesPerHour: Array.from({ length: 16 }, (_, i) => perHour * (i < 2 || i > 13 ? 0.7 : 1)),
      },
      spikes: [{ startMs: startAt + 3 * HOUR, endMs: startAt + 4 * HOUR, multiplier: 1.5 }],
      patience: { kind: 'exponential', meanMs: 3 * MIN },
      handleTime: { kind: 'lognormal', medianMs: 4 * MIN, sigma: 0.5 },
      callers: { known, knownShare: 0.3, withheldShare: 0.1 },
      calledNumbers: [
        { number: SERVICE_LINE, weight: 3 },
        { number: CALLER_ID, weight: 1 },
      ],
    },
  });
  const dialer = createDialer({
    trunk,
    media: trunk.media,
    clock,
    random: random.split('engine'),
    logger: silentLogger,
    inbound: {
      queues: [{ id: 'service', numbers: [SERVICE_LINE], serviceLevel: { fraction: 0.8, answerSeconds: 20 }, scriptId: 'service' }],
    },
  });
  await dialer.addCampaign({
    id: 'retention-demo',
    name: 'Retention drive — blended demo',
    goal: 'retention',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: CALLER_ID,
    homeTimeZone: 'America/New_York',
    pacing: { abandonTarget: 0.03, maxLinesPerAgent: 3 },
    schedule: { endAt: startAt + dayMs },
  });
  await dialer.addContacts('retention-demo', customers as never);
  const work = simulateDesk(dialer, clock, random.split('agents'), options.agents, startAt);
  await dialer.start('retention-demo');

  const wallStart = performance.now();
  for (let t = startAt; t < startAt + dayMs; ) {
    const target = Math.min(startAt + dayMs, t + Math.max(1_000, options.speed * 100));
    await runUntil(clock, target);
    t = target;
    const inbound = dialer.inbound?.status() as InboundStatus;
    if (options.live) logUpdate(await liveView(dialer, inbound, t - startAt, dayMs, work));
    const wait = wallStart + (t - startAt) / options.speed - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  if (options.live) logUpdate.done();
  const status = await dialer.status('retention-demo');
  const inbound = dialer.inbound?.status() as InboundStatus;
  const queue = inbound.queues[0];
  const intervals = [...work.intervals.values()];
  const meeting = intervals.filter((i) => i.answered + i.abandoned === 0 || i.within / (i.answered + i.abandoned) >= 0.8).length;
  const lines = [
    'Blended day (virtual 09:00–17:00 America/New_York, +50% inbound 12:00–13:00)',
    `  inbound   answered ${queue?.answered ?? 0}, queue abandons ${queue?.abandoned ?? 0}, service level ${pct(queue?.serviceLevel ?? 1)} (target 80% in 20 s), ASA ${((queue?.asaMs ?? 0) / 1000).toFixed(1)} s`,
    `            30-minute intervals meeting the target: ${meeting} of ${intervals.length}`,
    `            returned calls reaching the campaign script: ${work.returned}, service calls: ${work.service}`,
    `  outbound  dials ${status.dials}, live answers ${status.liveAnswers}, abandon rate ${pct(status.abandonRate)} (cap 3%; queue abandons not included)`,
    `  agents    occupancy ${pct(work.occupancy(clock.now()))}, inbound share of talk ${pct(work.inboundTalkMs / Math.max(1, work.inboundTalkMs + work.outboundTalkMs))}`,
  ];
  await dialer.close();
  process.stdout.write(`\n${lines.join('\n')}\n(wall time ${((performance.now() - wallStart) / 1000).toFixed(1)} s)\n`);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function runUntil(clock: VirtualClock, untilMs: number): Promise<void> {
  await new Promise((r) => setImmediate(r));
  for (let next = clock.nextAt(); next !== undefined && next <= untilMs; next = clock.nextAt()) {
    clock.runNext();
    await new Promise((r) => setImmediate(r));
  }
  if (untilMs > clock.now()) clock.advanceTo(untilMs);
  await new Promise((r) => setImmediate(r));
}

/** The desk: agents who take both kinds of call — outbound talk and wrap from the retention behaviour, inbound wrap ~30 s. */
function simulateDesk(dialer: Dialer, clock: VirtualClock, random: Random, agents: number, startAt: number) {
  const behaviour = retentionBehaviour();
  const state = new Map<string, { state: AgentState; since: number }>();
  const totals = { busyMs: 0, loggedMs: 0 };
  const work = {
    returned: 0,
    service: 0,
    inboundTalkMs: 0,
    outboundTalkMs: 0,
    /** Per 30-minute interval of queue entry: answered, answered within 20 s, queue abandons. */
    intervals: new Map<number, { answered: number; within: number; abandoned: number }>(),
    occupancy(now: number) {
      let busy = totals.busyMs;
      let logged = totals.loggedMs;
      for (const s of state.values()) {
        if (s.state === AgentState.LoggedOut) continue;
        logged += now - s.since;
        if (s.state === AgentState.OnCall || s.state === AgentState.WrapUp || s.state === AgentState.Reserved) busy += now - s.since;
      }
      return logged === 0 ? 0 : busy / logged;
    },
  };
  dialer.on('agentStateChanged', (e) => {
    const previous = state.get(e.agentId);
    if (previous && previous.state !== AgentState.LoggedOut) {
      totals.loggedMs += e.at - previous.since;
      if (previous.state === AgentState.OnCall || previous.state === AgentState.WrapUp || previous.state === AgentState.Reserved)
        totals.busyMs += e.at - previous.since;
    }
    state.set(e.agentId, { state: e.to, since: e.at });
  });
  dialer.on('connected', (offer) => {
    const talk = behaviour.talkMs(offer, random);
    work.outboundTalkMs += talk;
    clock.setTimer(talk, () => void dialer.hangup(offer.callId).catch(() => {}));
  });
  dialer.on('ended', (e) => {
    const agentId = e.attempt.agentId;
    if (!agentId || e.attempt.connectedAt === undefined) return;
    clock.setTimer(behaviour.wrapMs({} as never, random), () => {
      const { code, data } = behaviour.disposition({ contact: { profile: {} } } as never, random, clock.now());
      void dialer.disposition(e.callId, code, data).catch(() => {});
    });
  });
  const connectedAt = new Map<string, number>();
  const interval = (queuedAt: number) => {
    const index = Math.floor((queuedAt - startAt) / (30 * MIN));
    const entry = work.intervals.get(index) ?? { answered: 0, within: 0, abandoned: 0 };
    work.intervals.set(index, entry);
    return entry;
  };
  dialer.on('inbound.abandoned', (e) => {
    interval(e.at - e.waitMs).abandoned++;
  });
  dialer.on('inbound.connected', (offer) => {
    const entry = interval(offer.at - offer.waitMs);
    entry.answered++;
    if (offer.waitMs <= 20_000) entry.within++;
    connectedAt.set(offer.callId, offer.at);
    if (offer.caller.kind === 'returned') work.returned++;
    else work.service++;
  });
  dialer.on('inbound.ended', (e) => {
    work.inboundTalkMs += e.at - (connectedAt.get(e.callId) ?? e.at);
    connectedAt.delete(e.callId);
    if (e.agentId === undefined) return;
    clock.setTimer(lognormal(random, 30_000, 0.5), () => {
      const code = e.caller.kind === 'returned' ? (random.next() < 0.3 ? 'SAVED' : 'NO_DECISION') : 'SERVICE';
      void dialer.disposition(e.callId, code).catch(() => {});
    });
  });
  for (let i = 0; i < agents; i++) {
    const id = `agent-${String(i + 1).padStart(2, '0')}`;
    clock.setTimer(i * 5_000, () => {
      dialer.loginAgent({ id, name: `Agent ${i + 1}` }, ['retention-demo']);
      dialer.ready(id);
    });
  }
  return work;
}

async function liveView(
  dialer: Dialer,
  inbound: InboundStatus,
  elapsedMs: number,
  dayMs: number,
  work: ReturnType<typeof simulateDesk>,
): Promise<string> {
  const status = await dialer.status('retention-demo');
  const hh = String(9 + Math.floor(elapsedMs / HOUR)).padStart(2, '0');
  const mm = String(Math.floor((elapsedMs % HOUR) / MIN)).padStart(2, '0');
  const bar = '█'.repeat(Math.round((30 * elapsedMs) / dayMs)).padEnd(30, '·');
  const q = inbound.queues[0];
  const agents = Object.entries(status.agents)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return [
    `Paceline blended day  ${hh}:${mm}  ${bar}`,
    `inbound   waiting ${q?.waiting ?? 0} (longest ${Math.round((q?.longestWaitMs ?? 0) / 1000)} s)  service level ${pct(q?.serviceLevel ?? 1)}  ASA ${((q?.asaMs ?? 0) / 1000).toFixed(1)} s  queue abandons ${q?.abandoned ?? 0}`,
    `blend     reserve ${inbound.blend?.reserve ?? 0}, held for inbound ${inbound.blend?.hold ?? 0}, predicted service level ${pct(inbound.blend?.predictedServiceLevel ?? 1)}`,
    `outbound  dials ${status.dials}  live ${status.liveAnswers}  abandon ${pct(status.abandonRate)}  in flight ${status.callsInFlight}`,
    `agents    ${agents}  occupancy ${pct(work.occupancy(elapsedMs + Date.UTC(2026, 10, 23, 14, 0)))}`,
  ].join('\n');
}
