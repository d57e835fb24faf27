// `pnpm bench:blend`: every blended scenario (bench/scenarios/blend/) × policy (blend, inbound-first,
// inbound-first-capped, static-split) on the same seeds, a table for people and bench/results/blend.json for machines
// (`--help` for the options). Tuning used seeds 101+ on the scenarios not marked `heldOut`;
// the default seeds 1–20 and the held-out scenario were not looked at while tuning.
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BLEND_POLICY_NAMES,
  type BlendedRunResult,
  type BlendPolicyName,
  type BlendScenario,
  parseBlendScenario,
  runBlendedSimulation,
} from '@paceline/sim';
import { CliError, type CliSpec, integerOption, parseCli, runCli, stringOption, userPath } from './support/cli';
import { percentile, printTable } from './support/table';

const SPEC: CliSpec = {
  command: 'bench:blend',
  summary:
    'Runs every blended scenario of bench/scenarios/blend/ with the policies blend (ours), inbound-first (VICIdial-style),\n' +
    'inbound-first-capped (the same within the abandon cap) and static-split on the same seeds (one 8-hour day each), prints a table per scenario and writes\n' +
    'bench/results/blend.json (a narrowed run writes JSON only with --out).',
  options: {
    seeds: { type: 'string', valueName: 'N', description: 'seeds per scenario and policy (default 20)' },
    'first-seed': { type: 'string', valueName: 'N', description: 'first seed (default 1; tune on 101+)' },
    scenario: { type: 'string', valueName: 'NAME', multiple: true, description: 'only this scenario (repeatable)' },
    policy: {
      type: 'string',
      valueName: 'NAME',
      multiple: true,
      description: `only this policy (repeatable): ${BLEND_POLICY_NAMES.join(', ')}`,
    },
    goal: { type: 'string', valueName: 'SL', description: 'blend: the service level the reserve is sized for (default the policy’s, 0.9)' },
    z: { type: 'string', valueName: 'Z', description: 'blend: plan on the arrival rate + Z standard errors (default the policy’s, 1)' },
    hold: {
      type: 'string',
      valueName: 'ORDER',
      description: 'blend: which agents carry the hold, ready-first or busy-first (default the policy’s)',
    },
    'inbound-model': {
      type: 'string',
      valueName: 'MODEL',
      description:
        'blend: how the pacer sees inbound, hold (reserve + queued agents hidden) or demand (Poisson demand in the walk; default the policy’s)',
    },
    'reserve-overflow': {
      type: 'string',
      valueName: 'on|off',
      description: 'blend, demand model: count the reserve’s ready agents in the walk behind inbound (default the policy’s)',
    },
    'held-busy': {
      type: 'string',
      valueName: 'on|off',
      description: 'blend, demand model: the busy agents held for inbound free up in the walk behind inbound (default the policy’s)',
    },
    spread: {
      type: 'string',
      valueName: 'on|off',
      description: 'blend: spread the abandon budget over the day instead of falling back early (default on)',
    },
    routing: {
      type: 'string',
      valueName: 'ORDER',
      description:
        'blend: who a freeing agent serves first, deadline (outbound inside its grace first) or inbound-first (default deadline)',
    },
    'walk-routing': {
      type: 'string',
      valueName: 'ORDER',
      description:
        'blend, demand model: the order the predictive walk gives freeing agents, inbound-first or deadline (the router’s rule; default the policy’s)',
    },
    'spread-price': {
      type: 'string',
      valueName: 'on|off',
      description: 'blend: price the spread at the day’s learnt predicted ÷ realised abandons (default on)',
    },
    'spread-lift': {
      type: 'string',
      valueName: 'on|off',
      description: 'blend: lift to the spread whenever the governor allows less, not only in its episodes (default on)',
    },
    'work-by-flow': {
      type: 'string',
      valueName: 'on|off',
      description: 'blend: the outbound walk reads a talk/wrap-up table per contact flow, inbound vs outbound (default off)',
    },
    'defer-ms': {
      type: 'string',
      valueName: 'MS',
      description:
        'blend: an arriving inbound caller waits up to MS (and its answer target) for the next agent to free while the live answers about to connect claim every ready agent (default 60000, the engine’s too; 0: off)',
    },
    'defer-room': {
      type: 'string',
      valueName: 'MARGIN',
      description:
        'blend: defer only while the current interval’s service level has room for the caller to miss, MARGIN × (1 − target) above the target (default 0; off: no room check)',
    },
    profile: {
      type: 'string',
      valueName: 'on|off',
      description: 'blend: shape the inbound rate by the scenario’s plan (time-of-day profile) and learn its level (default on)',
    },
    'cap-guard': {
      type: 'string',
      valueName: 'F',
      description: 'inbound-first-capped: hold one ready agent back while the abandon rate ≥ F × target (default the sim’s)',
    },
    out: { type: 'string', valueName: 'FILE', description: 'write the JSON here (any run, narrowed or not)' },
    jobs: { type: 'string', valueName: 'N', description: 'worker processes (default 2)' },
    merge: {
      type: 'string',
      valueName: 'FILE',
      multiple: true,
      description: 'run nothing: combine JSON files of per-scenario runs (same seeds) into bench/results/blend.json (or --out)',
    },
  },
  examples: [
    'pnpm bench:blend --scenario blend-30 --seeds 5 --first-seed 101',
    'pnpm bench:blend --policy blend --goal 0.85 --first-seed 101 --seeds 5',
    'nice -n 10 pnpm bench:blend',
    'pnpm bench:blend --merge a.json --merge b.json   # per-scenario runs (e.g. on a busy machine) into blend.json',
  ],
};

const SCENARIO_DIR = join(import.meta.dirname, 'scenarios', 'blend');
const RESULTS = join(import.meta.dirname, 'results');
/** The targets of issue 23. */
const INTERVALS_MEETING = 0.95;
const ABANDON_CAP = 0.03;
const OCCUPANCY_OVER_STATIC = 0.1;
const OCCUPANCY_OVER_INBOUND_FIRST = 0.03;

function loadBlendScenarios(): BlendScenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const s = parseBlendScenario(JSON.parse(readFileSync(join(SCENARIO_DIR, f), 'utf8')));
      if (`${s.name}.json` !== f) throw new Error(`${f}: scenario.name is "${s.name}"; name the file after it`);
      return s;
    });
}

interface Job {
  readonly scenario: string;
  readonly policy: BlendPolicyName;
  readonly seed: number;
  readonly goal?: number;
  readonly z?: number;
  readonly capGuard?: number;
  readonly hold?: 'ready-first' | 'busy-first';
  readonly inboundModel?: 'hold' | 'demand';
  readonly overflow?: boolean;
  readonly heldBusy?: boolean;
  readonly profile?: boolean;
  readonly spread?: boolean;
  readonly spreadPrice?: boolean;
  readonly deadlineRouting?: boolean;
  readonly spreadLift?: boolean;
  readonly walkRouting?: 'inbound-first' | 'deadline';
  readonly workByFlow?: boolean;
  readonly deferMs?: number;
  readonly deferRoom?: number | 'off';
}

type Run = BlendedRunResult & { scenario: string };

function work(jobs: readonly Job[]): Run[] {
  const scenarios = new Map(loadBlendScenarios().map((s) => [s.name, s]));
  return jobs.map((job) => {
    const blend = {
      ...(job.goal !== undefined ? { serviceLevelGoal: job.goal } : {}),
      ...(job.z !== undefined ? { rateConfidenceZ: job.z } : {}),
      ...(job.hold !== undefined ? { holdOrder: job.hold } : {}),
      ...(job.inboundModel !== undefined ? { inboundModel: job.inboundModel } : {}),
      ...(job.overflow !== undefined ? { reserveCatchesOverflow: job.overflow } : {}),
      ...(job.heldBusy !== undefined ? { heldBusyFree: job.heldBusy } : {}),
      ...(job.walkRouting !== undefined ? { walkRouting: job.walkRouting } : {}),
    };
    const r = runBlendedSimulation({
      scenario: scenarios.get(job.scenario) as BlendScenario,
      seed: job.seed,
      policy: job.policy,
      blend,
      ...(job.capGuard !== undefined ? { capGuard: job.capGuard } : {}),
      ...(job.profile !== undefined ? { profileForecast: job.profile } : {}),
      ...(job.spread !== undefined ? { abandonSpread: job.spread } : {}),
      ...(job.deadlineRouting !== undefined ? { deadlineRouting: job.deadlineRouting } : {}),
      ...(job.workByFlow !== undefined ? { workByFlow: job.workByFlow } : {}),
      ...(job.deferMs !== undefined ? { inboundDeferMs: job.deferMs } : {}),
      ...(job.deferRoom !== undefined ? { inboundDeferRoomMargin: job.deferRoom } : {}),
      ...(job.spreadPrice !== undefined || job.spreadLift !== undefined
        ? {
            spreadTuning: {
              ...(job.spreadPrice !== undefined ? { learntPrice: job.spreadPrice } : {}),
              ...(job.spreadLift !== undefined ? { liftAlways: job.spreadLift } : {}),
            },
          }
        : {}),
    });
    return { ...r, scenario: job.scenario };
  });
}

async function runAll(jobs: Job[], parallel: number): Promise<Run[]> {
  const self = fileURLToPath(import.meta.url);
  const parts = await Promise.all(
    Array.from(
      { length: Math.min(parallel, jobs.length) },
      (_, i) =>
        new Promise<Run[]>((resolve, reject) => {
          const child = fork(self, [], { execArgv: process.execArgv, env: { ...process.env, PACELINE_BENCH_WORKER: '1' } });
          let got: Run[] = [];
          child.on('message', (m) => {
            got = m as Run[];
          });
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(got) : reject(new Error(`worker ${i} exited with ${code}`))));
          child.send(jobs.filter((_, j) => j % parallel === i));
        }),
    ),
  );
  return parts.flat();
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** One scenario × policy over its seeds: the JSON row. */
interface BlendRow {
  scenario: string;
  policy: BlendPolicyName;
  heldOut: boolean;
  seeds: number;
  /** Answered within the target time ÷ offered, over the day (abandons count as misses). */
  inboundServiceLevel: number;
  /** Of the 30-minute intervals outside the spike (every seed, calls offered), the share with service level ≥ target. */
  intervalsMeetingTarget: number;
  /** The same inside the spike (null without a spike). */
  intervalsMeetingTargetInSpike: number | null;
  /** Service level of each 30-minute interval of the day, pooled over seeds (offered calls weighted). */
  intervalServiceLevels: number[];
  asaSeconds: number;
  inboundOffered: number;
  /** Callers who hung up in the queue (not outbound abandons), total over seeds, and their share of offered. */
  inboundQueueAbandons: number;
  inboundQueueAbandonRate: number;
  /** Outbound talk ÷ logged-in time. */
  outboundTalkFraction: number;
  /** Outbound abandoned ÷ outbound live answers over the run, and the 95th percentile of the daily rates. */
  outboundAbandonRate: number;
  outboundAbandonRateDailyP95: number;
  /** (talk + wrap-up, both flows) ÷ logged-in time. */
  occupancy: number;
  /** Inbound talk + wrap-up ÷ all talk + wrap-up. */
  inboundWorkShare: number;
  /**
   * Where logged-in time that is not work goes, as fractions of logged-in time: ready (idle),
   * of which held idle by the blend's reserve (the rest: ready and visible to outbound, waiting
   * for a connect or for nothing to do), reserved for a call being connected, not ready.
   * Absent in results recorded before it was added.
   */
  idle?: { ready: number; heldReady: number; readyNotHeld: number; reserved: number; notReady: number };
  /** blend: mean agents reserved per decision; static-split: the inbound-only agents. */
  meanReserve: number;
  staticInboundAgents: number;
  /** blend: the outbound pacer's learnt forecast scale (realised ÷ predicted abandons), mean over decisions and seeds. */
  meanForecastScale?: number;
}

function aggregate(scenario: BlendScenario, policy: BlendPolicyName, runs: readonly Run[]): BlendRow {
  const sum = (f: (r: Run) => number) => runs.reduce((a, r) => a + f(r), 0);
  const target = scenario.inbound.serviceLevelTarget;
  const outside = runs.flatMap((r) => r.intervals.filter((iv) => !iv.inSpike && iv.offered > 0));
  const inside = runs.flatMap((r) => r.intervals.filter((iv) => iv.inSpike && iv.offered > 0));
  const slots = Math.max(0, ...runs.map((r) => r.intervals.length));
  const intervalServiceLevels = Array.from({ length: slots }, (_, i) => {
    const ivs = runs.flatMap((r) => (r.intervals[i] ? [r.intervals[i]] : []));
    const offered = ivs.reduce((a, iv) => a + iv.offered, 0);
    return round(offered > 0 ? ivs.reduce((a, iv) => a + iv.answeredInTarget, 0) / offered : 1, 3);
  });
  const loggedIn = sum((r) => r.loggedInMs);
  const offered = sum((r) => r.inbound.offered);
  const answered = sum((r) => r.inbound.answered);
  const live = sum((r) => r.outbound.liveAnswers);
  const work = sum((r) => r.talkMs + r.wrapMs);
  return {
    scenario: scenario.name,
    policy,
    heldOut: scenario.heldOut === true,
    seeds: runs.length,
    inboundServiceLevel: round(offered > 0 ? sum((r) => r.inbound.answeredInTarget) / offered : 1),
    intervalsMeetingTarget: round(outside.length > 0 ? outside.filter((iv) => iv.serviceLevel >= target).length / outside.length : 1),
    intervalsMeetingTargetInSpike:
      inside.length > 0 ? round(inside.filter((iv) => iv.serviceLevel >= target).length / inside.length) : null,
    intervalServiceLevels,
    asaSeconds: round(answered > 0 ? sum((r) => r.inbound.answeredWaitMs) / answered / 1000 : 0, 2),
    inboundOffered: offered,
    inboundQueueAbandons: sum((r) => r.inbound.abandoned),
    inboundQueueAbandonRate: round(offered > 0 ? sum((r) => r.inbound.abandoned) / offered : 0),
    outboundTalkFraction: round(sum((r) => r.talkMs - r.inboundTalkMs) / loggedIn),
    outboundAbandonRate: round(live > 0 ? sum((r) => r.outbound.abandoned) / live : 0, 5),
    outboundAbandonRateDailyP95: round(
      percentile(
        runs.flatMap((r) => r.outbound.dailyRates),
        0.95,
      ),
      5,
    ),
    occupancy: round(sum((r) => r.talkMs + r.wrapMs) / loggedIn),
    inboundWorkShare: round(work > 0 ? sum((r) => r.inboundTalkMs + r.inboundWrapMs) / work : 0),
    idle: {
      ready: round(sum((r) => r.readyMs) / loggedIn),
      heldReady: round(sum((r) => r.heldReadyMs) / loggedIn),
      readyNotHeld: round(sum((r) => r.readyMs - r.heldReadyMs) / loggedIn),
      reserved: round(sum((r) => r.reservedMs) / loggedIn),
      notReady: round(sum((r) => r.notReadyMs) / loggedIn),
    },
    meanReserve: round(sum((r) => r.meanReserve) / Math.max(1, runs.length), 2),
    staticInboundAgents: runs[0]?.staticInboundAgents ?? 0,
    ...(policy === 'blend' ? { meanForecastScale: round(sum((r) => r.meanForecastScale ?? 1) / Math.max(1, runs.length), 3) } : {}),
  };
}

/** Issue 23's targets for one scenario, checked on its rows. */
function checkTargets(rows: readonly BlendRow[]) {
  const blend = rows.find((r) => r.policy === 'blend');
  const staticSplit = rows.find((r) => r.policy === 'static-split');
  const inboundFirst = rows.find((r) => r.policy === 'inbound-first');
  const capped = rows.find((r) => r.policy === 'inbound-first-capped');
  if (blend === undefined) return null;
  const meets = (r: BlendRow | undefined) => r !== undefined && r.intervalsMeetingTarget >= INTERVALS_MEETING;
  const keepsCap = (r: BlendRow) => r.outboundAbandonRate <= ABANDON_CAP && r.outboundAbandonRateDailyP95 <= ABANDON_CAP;
  const over = (r: BlendRow | undefined, margin: number) =>
    r === undefined
      ? { gain: null, met: null, baselineMeetsServiceLevel: null, baselineKeepsAbandonCap: null, serviceLevelGap: null }
      : {
          gain: round(blend.occupancy - r.occupancy),
          met: meets(r) && blend.occupancy >= r.occupancy + margin,
          baselineMeetsServiceLevel: meets(r),
          baselineKeepsAbandonCap: keepsCap(r),
          /** blend's day service level − the baseline's (negative: the baseline served inbound better). */
          serviceLevelGap: round(blend.inboundServiceLevel - r.inboundServiceLevel),
        };
  const vsStatic = over(staticSplit, OCCUPANCY_OVER_STATIC);
  const vsInboundFirst = over(inboundFirst, OCCUPANCY_OVER_INBOUND_FIRST);
  const vsCapped = over(capped, OCCUPANCY_OVER_INBOUND_FIRST);
  return {
    serviceLevelHeld: meets(blend),
    outboundAbandonRun: blend.outboundAbandonRate <= ABANDON_CAP,
    outboundAbandonDailyP95: blend.outboundAbandonRateDailyP95 <= ABANDON_CAP,
    occupancyOverStatic: vsStatic.gain,
    occupancyOverStaticMet: vsStatic.met,
    /** Against the raw VICIdial-style baseline (which may break the abandon cap: see the next field). */
    occupancyOverInboundFirst: vsInboundFirst.gain,
    occupancyOverInboundFirstMet: vsInboundFirst.met,
    inboundFirstKeepsAbandonCap: vsInboundFirst.baselineKeepsAbandonCap,
    inboundFirstServiceLevelGap: vsInboundFirst.serviceLevelGap,
    /** Against inbound-first held within the abandon cap (the compliant baseline). */
    occupancyOverInboundFirstCapped: vsCapped.gain,
    occupancyOverInboundFirstCappedMet: vsCapped.met,
    inboundFirstCappedKeepsAbandonCap: vsCapped.baselineKeepsAbandonCap,
    inboundFirstCappedServiceLevelGap: vsCapped.serviceLevelGap,
  };
}

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;

async function main(): Promise<void> {
  const values = parseCli(SPEC);
  if (values === undefined) return;
  const merging = (values.merge as string[] | undefined) ?? [];
  if (merging.length > 0) {
    mergeResults(merging.map(userPath), stringOption(values, 'out'));
    return;
  }
  const scenarios = loadBlendScenarios();
  const seeds = integerOption(values, 'seeds', 20, 1);
  const firstSeed = integerOption(values, 'first-seed', 1, 0);
  const parallel = integerOption(values, 'jobs', 2, 1);
  const onlyScenarios = (values.scenario as string[] | undefined) ?? [];
  for (const s of onlyScenarios)
    if (!scenarios.some((x) => x.name === s))
      throw new CliError(`--scenario: unknown "${s}"; known: ${scenarios.map((x) => x.name).join(', ')}`);
  const onlyPolicies = (values.policy as string[] | undefined) ?? [];
  for (const p of onlyPolicies)
    if (!(BLEND_POLICY_NAMES as readonly string[]).includes(p))
      throw new CliError(`--policy: unknown "${p}"; known: ${BLEND_POLICY_NAMES.join(', ')}`);
  const fraction = (name: string, min: number, max: number): number | undefined => {
    const raw = stringOption(values, name);
    if (raw === undefined) return undefined;
    const x = Number(raw);
    if (!(x >= min && x <= max)) throw new CliError(`--${name}: expected a number between ${min} and ${max}, got "${raw}"`);
    return x;
  };
  const goal = fraction('goal', 0, 1);
  const z = fraction('z', 0, 5);
  const capGuard = fraction('cap-guard', 0, 10);
  const hold = stringOption(values, 'hold');
  if (hold !== undefined && hold !== 'ready-first' && hold !== 'busy-first')
    throw new CliError(`--hold: expected ready-first or busy-first, got "${hold}"`);
  const inboundModel = stringOption(values, 'inbound-model');
  if (inboundModel !== undefined && inboundModel !== 'hold' && inboundModel !== 'demand')
    throw new CliError(`--inbound-model: expected hold or demand, got "${inboundModel}"`);
  const overflowRaw = stringOption(values, 'reserve-overflow');
  if (overflowRaw !== undefined && overflowRaw !== 'on' && overflowRaw !== 'off')
    throw new CliError(`--reserve-overflow: expected on or off, got "${overflowRaw}"`);
  const overflow = overflowRaw === undefined ? undefined : overflowRaw === 'on';
  const heldBusyRaw = stringOption(values, 'held-busy');
  if (heldBusyRaw !== undefined && heldBusyRaw !== 'on' && heldBusyRaw !== 'off')
    throw new CliError(`--held-busy: expected on or off, got "${heldBusyRaw}"`);
  const heldBusy = heldBusyRaw === undefined ? undefined : heldBusyRaw === 'on';
  const profileRaw = stringOption(values, 'profile');
  if (profileRaw !== undefined && profileRaw !== 'on' && profileRaw !== 'off')
    throw new CliError(`--profile: expected on or off, got "${profileRaw}"`);
  const profile = profileRaw === undefined ? undefined : profileRaw === 'on';
  const spreadRaw = stringOption(values, 'spread');
  if (spreadRaw !== undefined && spreadRaw !== 'on' && spreadRaw !== 'off')
    throw new CliError(`--spread: expected on or off, got "${spreadRaw}"`);
  const spread = spreadRaw === undefined ? undefined : spreadRaw === 'on';
  const onOff = (name: string) => {
    const raw = stringOption(values, name);
    if (raw !== undefined && raw !== 'on' && raw !== 'off') throw new CliError(`--${name}: expected on or off, got "${raw}"`);
    return raw === undefined ? undefined : raw === 'on';
  };
  const spreadPrice = onOff('spread-price');
  const spreadLift = onOff('spread-lift');
  const workByFlow = onOff('work-by-flow'); // issue-23 23-flowtab
  const deferRaw = stringOption(values, 'defer-ms'); // issue-23 23-morning4
  const deferMs = deferRaw === undefined ? undefined : Number(deferRaw);
  if (deferMs !== undefined && !(deferMs >= 0)) throw new CliError(`--defer-ms: expected a number of ms ≥ 0, got "${deferRaw}"`);
  const roomRaw = stringOption(values, 'defer-room'); // issue-23 23-router
  const deferRoom = roomRaw === undefined ? undefined : roomRaw === 'off' ? 'off' : Number(roomRaw);
  if (deferRoom !== undefined && deferRoom !== 'off' && !(deferRoom >= 0 && deferRoom <= 1))
    throw new CliError(`--defer-room: expected a margin in [0, 1] or off, got "${roomRaw}"`);
  const routingRaw = stringOption(values, 'routing');
  if (routingRaw !== undefined && routingRaw !== 'deadline' && routingRaw !== 'inbound-first')
    throw new CliError(`--routing: expected deadline or inbound-first, got "${routingRaw}"`);
  const deadlineRouting = routingRaw === undefined ? undefined : routingRaw === 'deadline';
  const walkRouting = stringOption(values, 'walk-routing');
  if (walkRouting !== undefined && walkRouting !== 'deadline' && walkRouting !== 'inbound-first')
    throw new CliError(`--walk-routing: expected deadline or inbound-first, got "${walkRouting}"`);
  const policies = BLEND_POLICY_NAMES.filter((p) => onlyPolicies.length === 0 || onlyPolicies.includes(p));
  const chosen = scenarios.filter((s) => onlyScenarios.length === 0 || onlyScenarios.includes(s.name));
  const out = stringOption(values, 'out');
  const narrowed =
    onlyScenarios.length > 0 ||
    onlyPolicies.length > 0 ||
    firstSeed !== 1 ||
    seeds !== 20 ||
    goal !== undefined ||
    z !== undefined ||
    capGuard !== undefined ||
    hold !== undefined ||
    inboundModel !== undefined ||
    overflow !== undefined ||
    heldBusy !== undefined ||
    profile !== undefined ||
    spread !== undefined ||
    spreadPrice !== undefined ||
    spreadLift !== undefined ||
    deadlineRouting !== undefined ||
    walkRouting !== undefined ||
    workByFlow !== undefined ||
    deferMs !== undefined ||
    deferRoom !== undefined;

  const jobs: Job[] = [];
  for (const s of chosen)
    for (const policy of policies)
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++)
        jobs.push({
          scenario: s.name,
          policy,
          seed,
          ...(goal !== undefined ? { goal } : {}),
          ...(z !== undefined ? { z } : {}),
          ...(capGuard !== undefined ? { capGuard } : {}),
          ...(hold !== undefined ? { hold } : {}),
          ...(inboundModel !== undefined ? { inboundModel } : {}),
          ...(overflow !== undefined ? { overflow } : {}),
          ...(heldBusy !== undefined ? { heldBusy } : {}),
          ...(profile !== undefined ? { profile } : {}),
          ...(spread !== undefined ? { spread } : {}),
          ...(spreadPrice !== undefined ? { spreadPrice } : {}),
          ...(spreadLift !== undefined ? { spreadLift } : {}),
          ...(deadlineRouting !== undefined ? { deadlineRouting } : {}),
          ...(walkRouting !== undefined ? { walkRouting } : {}),
          ...(workByFlow !== undefined ? { workByFlow } : {}),
          ...(deferMs !== undefined ? { deferMs } : {}),
          ...(deferRoom !== undefined ? { deferRoom } : {}),
        });
  const started = performance.now();
  const runs = await runAll(jobs, parallel);
  const secs = ((performance.now() - started) / 1000).toFixed(1);

  const results: BlendRow[] = [];
  const targets: Record<string, ReturnType<typeof checkTargets>> = {};
  for (const s of chosen) {
    const rows = policies.map((p) =>
      aggregate(
        s,
        p,
        runs.filter((r) => r.scenario === s.name && r.policy === p),
      ),
    );
    results.push(...rows);
    targets[s.name] = checkTargets(rows);
    printTable(
      `${s.name}${s.heldOut === true ? ' (HELD OUT from tuning)' : ''} — ${seeds} seeds; inbound SL target ${pct(s.inbound.serviceLevelTarget, 0)} in ${s.inbound.targetAnswerSeconds} s`,
      [
        'policy',
        'inbound SL',
        'intervals ≥ target',
        'in spike',
        'ASA s',
        'queue abandons',
        'outbound talk',
        'outbound abandon',
        'daily p95',
        'occupancy',
        'inbound share',
        'reserve',
        'idle: held / not held / reserved',
      ],
      rows.map((r) => [
        r.policy,
        pct(r.inboundServiceLevel),
        pct(r.intervalsMeetingTarget),
        r.intervalsMeetingTargetInSpike === null ? '—' : pct(r.intervalsMeetingTargetInSpike),
        r.asaSeconds.toFixed(1),
        `${r.inboundQueueAbandons} (${pct(r.inboundQueueAbandonRate)})`,
        r.outboundTalkFraction.toFixed(3),
        pct(r.outboundAbandonRate, 2),
        pct(r.outboundAbandonRateDailyP95, 2),
        r.occupancy.toFixed(3),
        pct(r.inboundWorkShare, 0),
        r.policy === 'static-split'
          ? `${r.staticInboundAgents} agents`
          : r.policy === 'blend'
            ? `${r.meanReserve.toFixed(2)} (scale ${(r.meanForecastScale ?? 1).toFixed(2)})`
            : '—',
        r.idle === undefined ? '—' : `${pct(r.idle.heldReady)} / ${pct(r.idle.readyNotHeld)} / ${pct(r.idle.reserved)}`,
      ]),
    );
    for (const r of rows) console.log(`  ${r.policy} SL per 30 min: ${r.intervalServiceLevels.map((x) => (x * 100).toFixed(0)).join(' ')}`);
    const t = targets[s.name];
    if (t) {
      const vs = (gain: number | null, met: boolean | null) =>
        gain === null ? '—' : `${(gain * 100).toFixed(1)} pts (${met ? 'met' : 'NOT met'})`;
      console.log(
        `  targets: SL held ${t.serviceLevelHeld ? 'yes' : 'NO'}; abandon run ${t.outboundAbandonRun ? 'yes' : 'NO'}, daily p95 ${t.outboundAbandonDailyP95 ? 'yes' : 'NO'}; ` +
          `occupancy vs static ${vs(t.occupancyOverStatic, t.occupancyOverStaticMet)}, ` +
          `vs inbound-first ${vs(t.occupancyOverInboundFirst, t.occupancyOverInboundFirstMet)}` +
          `${t.inboundFirstKeepsAbandonCap === false ? ' (inbound-first breaks the abandon cap)' : ''}, ` +
          `vs inbound-first-capped ${vs(t.occupancyOverInboundFirstCapped, t.occupancyOverInboundFirstCappedMet)}`,
      );
    }
  }
  const file = out !== undefined ? userPath(out) : narrowed ? undefined : join(RESULTS, 'blend.json');
  if (file === undefined) {
    console.log(`\n${runs.length} runs in ${secs} s (narrowed: nothing written; add --out FILE for JSON)`);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  const tuning = {
    seeds: 'tuned on seeds 101+ only; these results use other seeds unless firstSeed ≥ 101',
    heldOutScenarios: scenarios.filter((s) => s.heldOut === true).map((s) => s.name),
  };
  writeFileSync(file, `${JSON.stringify({ firstSeed, seeds, tuning, targets, results }, null, 2)}\n`);
  console.log(`\n${runs.length} runs in ${secs} s → ${relative(process.cwd(), file)}`);
}

/** The JSON a run writes. */
interface BlendReport {
  firstSeed: number;
  seeds: number;
  tuning: unknown;
  targets: Record<string, unknown>;
  results: BlendRow[];
}

/**
 * Combine reports of the same seeds run per scenario or per policy into one (scenarios in file
 * order, policies in report order); the targets are checked again on the combined rows. A
 * scenario × policy twice is an error.
 */
function mergeResults(files: readonly string[], out: string | undefined): void {
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BlendReport);
  const first = reports[0] as BlendReport;
  const rows: BlendRow[] = [];
  reports.forEach((r, i) => {
    if (r.firstSeed !== first.firstSeed || r.seeds !== first.seeds)
      throw new CliError(`--merge: ${files[i]} ran seeds ${r.firstSeed}+${r.seeds}, ${files[0]} ${first.firstSeed}+${first.seeds}`);
    for (const row of r.results) {
      if (rows.some((x) => x.scenario === row.scenario && x.policy === row.policy))
        throw new CliError(`--merge: ${row.scenario} × ${row.policy} appears twice (again in ${files[i]})`);
      rows.push(row);
    }
  });
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const merged: BlendReport = { firstSeed: first.firstSeed, seeds: first.seeds, tuning: first.tuning, targets: {}, results: [] };
  for (const name of scenarios) {
    const own = BLEND_POLICY_NAMES.flatMap((p) => rows.filter((r) => r.scenario === name && r.policy === p));
    merged.targets[name] = checkTargets(own);
    merged.results.push(...own);
  }
  const file = out !== undefined ? userPath(out) : join(RESULTS, 'blend.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`${reports.length} reports, ${merged.results.length} rows → ${relative(process.cwd(), file)}`);
}

if (process.env.PACELINE_BENCH_WORKER === '1') {
  process.once('message', (jobs) => {
    try {
      const out = work(jobs as Job[]);
      process.send?.(out, () => process.exit(0));
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  });
} else runCli(main);
