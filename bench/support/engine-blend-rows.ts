// bench:engine-blend's JSON rows (issue 23, 23-bench): one row per scenario × policy over its seeds, with the field
// names and definitions of bench:blend's `results[]` (bench/blend.ts `aggregate`), and issue 23's targets checked on them.
import type { EngineDay, EnginePolicy } from './engine-blend-day';
import { percentile } from './table';

/** The targets of issue 23 (the same as bench/blend.ts). */
export const TARGETS = { intervalsMeeting: 0.95, abandonCap: 0.03, occupancyOverStatic: 0.1, occupancyOverInboundFirst: 0.03 };

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

export interface EngineBlendRow {
  scenario: string;
  policy: EnginePolicy;
  seeds: number;
  firstSeed: number;
  /** Day length, hours (shorter than the scenario's only in a smoke run). */
  hours: number;
  /** Answered within the target time ÷ offered, over the day (abandons count as misses). */
  inboundServiceLevel: number;
  /** Of the 30-minute intervals outside the spike (every seed, calls offered), the share with service level ≥ target. */
  intervalsMeetingTarget: number;
  /** The same inside the spike (null without a spike). */
  intervalsMeetingTargetInSpike: number | null;
  /** Service level of each 30-minute interval of the day, pooled over seeds (offered calls weighted). */
  intervalServiceLevels: number[];
  /** The worst single interval (one seed) outside the spike. */
  worstIntervalServiceLevel: number;
  asaSeconds: number;
  inboundOffered: number;
  inboundQueueAbandons: number;
  inboundQueueAbandonRate: number;
  /** Outbound talk ÷ logged-in time. */
  outboundTalkFraction: number;
  outboundLiveAnswers: number;
  /** Outbound abandoned ÷ outbound live answers over the run, and the 95th percentile of the daily rates (one day per seed). */
  outboundAbandonRate: number;
  outboundAbandonRateDailyP95: number;
  outboundAbandonRateDailyMax: number;
  /** (talk + wrap-up, both flows) ÷ logged-in time. */
  occupancy: number;
  /** Inbound talk + wrap-up ÷ all talk + wrap-up. */
  inboundWorkShare: number;
  /** Logged-in time that is not work: ready (idle), reserved for a call being connected, not ready. */
  idle: { ready: number; reserved: number; notReady: number };
  staticInboundAgents: number;
  /**
   * Of the time some caller waited, the share some agent with the queue's skill was ready (the router rule kept the
   * caller off agents outbound calls count on; 0 under routing that never keeps a caller), per 30-minute interval.
   */
  waitingWithReadyShare: number;
  intervalWaitingWithReadyShares: number[];
  /** Pacing decisions cut by the engine's day guard, share of all decisions. */
  dayGuardShare: number;
  /** CPU-bound cost: wall-clock seconds per engine day, mean (depends on the machine's load). */
  wallSecondsPerDay: number;
}

export function aggregateEngineDays(days: readonly EngineDay[], target: number): EngineBlendRow {
  const first = days[0];
  if (first === undefined) throw new Error('aggregateEngineDays: no days');
  const sum = (f: (d: EngineDay) => number) => days.reduce((a, d) => a + f(d), 0);
  const withCalls = days.flatMap((d) => d.intervals.filter((iv) => iv.offered > 0));
  const outside = withCalls.filter((iv) => !iv.inSpike);
  const inside = withCalls.filter((iv) => iv.inSpike);
  const sl = (iv: { answeredInTarget: number; offered: number }) => (iv.offered > 0 ? iv.answeredInTarget / iv.offered : 1);
  const slots = Math.max(0, ...days.map((d) => d.intervals.length));
  const intervalServiceLevels = Array.from({ length: slots }, (_, i) => {
    const ivs = days.flatMap((d) => (d.intervals[i] ? [d.intervals[i]] : []));
    const offered = ivs.reduce((a, iv) => a + iv.offered, 0);
    return round(offered > 0 ? ivs.reduce((a, iv) => a + iv.answeredInTarget, 0) / offered : 1, 3);
  });
  const ivSum = (f: (iv: EngineDay['intervals'][number]) => number) => sum((d) => d.intervals.reduce((a, iv) => a + f(iv), 0));
  const offered = ivSum((iv) => iv.offered);
  const answered = ivSum((iv) => iv.answered);
  const loggedIn = Math.max(
    1,
    sum((d) => d.time.loggedIn),
  );
  const work = sum((d) => d.time.outboundTalk + d.time.outboundWrap + d.time.inboundTalk + d.time.inboundWrap);
  const live = sum((d) => d.outbound.liveAnswers);
  const daily = days.filter((d) => d.outbound.liveAnswers > 0).map((d) => d.outbound.abandoned / d.outbound.liveAnswers);
  const decisions = sum((d) => Object.values(d.reasons).reduce((a, b) => a + b, 0));
  return {
    scenario: first.scenario,
    policy: first.policy,
    seeds: days.length,
    firstSeed: Math.min(...days.map((d) => d.seed)),
    hours: round((first.intervals.length * 30) / 60, 2),
    inboundServiceLevel: round(offered > 0 ? ivSum((iv) => iv.answeredInTarget) / offered : 1),
    intervalsMeetingTarget: round(outside.length > 0 ? outside.filter((iv) => sl(iv) >= target).length / outside.length : 1),
    intervalsMeetingTargetInSpike: inside.length > 0 ? round(inside.filter((iv) => sl(iv) >= target).length / inside.length) : null,
    intervalServiceLevels,
    worstIntervalServiceLevel: round(Math.min(1, ...outside.map(sl)), 3),
    asaSeconds: round(answered > 0 ? ivSum((iv) => iv.answeredWaitMs) / answered / 1000 : 0, 2),
    inboundOffered: offered,
    inboundQueueAbandons: ivSum((iv) => iv.abandoned),
    inboundQueueAbandonRate: round(offered > 0 ? ivSum((iv) => iv.abandoned) / offered : 0),
    outboundTalkFraction: round(sum((d) => d.time.outboundTalk) / loggedIn),
    outboundLiveAnswers: live,
    outboundAbandonRate: round(live > 0 ? sum((d) => d.outbound.abandoned) / live : 0, 5),
    outboundAbandonRateDailyP95: round(percentile(daily, 0.95), 5),
    outboundAbandonRateDailyMax: round(Math.max(0, ...daily), 5),
    occupancy: round(work / loggedIn),
    inboundWorkShare: round(work > 0 ? sum((d) => d.time.inboundTalk + d.time.inboundWrap) / work : 0),
    idle: {
      ready: round(sum((d) => d.time.ready) / loggedIn),
      reserved: round(sum((d) => d.time.reserved) / loggedIn),
      notReady: round(sum((d) => d.time.notReady) / loggedIn),
    },
    staticInboundAgents: first.staticInboundAgents,
    waitingWithReadyShare: round(
      ivSum((iv) => iv.waitingWithReadyMs ?? 0) /
        Math.max(
          1,
          ivSum((iv) => iv.waitingMs ?? 0),
        ),
      3,
    ),
    intervalWaitingWithReadyShares: Array.from({ length: slots }, (_, i) => {
      const ivs = days.flatMap((d) => (d.intervals[i] ? [d.intervals[i]] : []));
      const w = ivs.reduce((a, iv) => a + (iv.waitingMs ?? 0), 0);
      return round(w > 0 ? ivs.reduce((a, iv) => a + (iv.waitingWithReadyMs ?? 0), 0) / w : 0, 3);
    }),
    dayGuardShare: round(decisions > 0 ? sum((d) => d.reasons['day-guard'] ?? 0) / decisions : 0),
    wallSecondsPerDay: round(sum((d) => d.wallMs) / days.length / 1000, 1),
  };
}

/** Issue 23's targets for one scenario, on the rows of one run: ours is `demand`; ratios against the baselines in the same file. */
export function checkEngineTargets(rows: readonly EngineBlendRow[]) {
  const ours = rows.find((r) => r.policy === 'demand');
  if (ours === undefined) return null;
  const meets = (r: EngineBlendRow) => r.intervalsMeetingTarget >= TARGETS.intervalsMeeting;
  const over = (policy: EnginePolicy, margin: number) => {
    const r = rows.find((x) => x.policy === policy);
    if (r === undefined) return null;
    return {
      gain: round(ours.occupancy - r.occupancy),
      met: meets(r) && ours.occupancy >= r.occupancy + margin,
      baselineMeetsServiceLevel: meets(r),
      /** ours' day service level − the baseline's (negative: the baseline served inbound better). */
      serviceLevelGap: round(ours.inboundServiceLevel - r.inboundServiceLevel),
      liveAnswersRatio: r.outboundLiveAnswers > 0 ? round(ours.outboundLiveAnswers / r.outboundLiveAnswers, 3) : null,
    };
  };
  return {
    serviceLevelHeld: meets(ours),
    outboundAbandonRun: ours.outboundAbandonRate <= TARGETS.abandonCap,
    outboundAbandonDailyP95: ours.outboundAbandonRateDailyP95 <= TARGETS.abandonCap,
    overStatic: over('static-split', TARGETS.occupancyOverStatic),
    overInboundFirst: over('inbound-first', TARGETS.occupancyOverInboundFirst),
    overHold: over('hold', 0),
  };
}
