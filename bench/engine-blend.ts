// `pnpm bench:engine-blend` (issue 23; 23-wire2, 23-router, 23-bench): bench:blend's blended scenarios
// (bench/scenarios/blend/) through the real engine — createDialer over trunk-sim on the virtual clock, one day per
// seed — with the engine's default blend (`demand`, ours) against `hold`, inbound-first and a static split in the same
// run. Reports what bench:blend reports (service level per 30-minute interval, intervals meeting the target outside
// and inside the spike, ASA, queue abandons, outbound talk fraction, abandon run and daily p95, occupancy) with the
// same field names, and issue 23's targets. A table for people; JSON in bench/results/engine-blend-scenarios.json, where each
// run replaces the rows of the scenario × policy pairs it ran and keeps the others (`--help`).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BlendScenario, parseBlendScenario } from '@paceline/sim';
import { CliError, type CliSpec, integerOption, parseCli, runCli, stringOption, userPath } from './support/cli';
import { ENGINE_POLICIES, type EngineDay, type EnginePolicy, runEngineBlendDay } from './support/engine-blend-day';
import { aggregateEngineDays, checkEngineTargets, type EngineBlendRow, TARGETS } from './support/engine-blend-rows';
import { printTable } from './support/table';

const SCENARIO_DIR = join(import.meta.dirname, 'scenarios', 'blend');
const DEFAULT_OUT = join(import.meta.dirname, 'results', 'engine-blend-scenarios.json');

const SPEC: CliSpec = {
  command: 'bench:engine-blend',
  summary:
    'Runs bench:blend’s scenarios through the engine (createDialer, trunk-sim, virtual clock) with the policies demand\n' +
    '(the engine’s default blend), hold, inbound-first and static-split on the same seeds, prints a table per scenario and\n' +
    'updates bench/results/engine-blend-scenarios.json (the rows of the scenario × policy pairs run are replaced).',
  options: {
    seeds: { type: 'string', valueName: 'N', description: 'seeds per scenario and policy (default 20)' },
    'first-seed': { type: 'string', valueName: 'N', description: 'first seed (default 1)' },
    scenario: { type: 'string', valueName: 'NAME', multiple: true, description: 'only this scenario (repeatable; default all)' },
    policy: {
      type: 'string',
      valueName: 'NAME',
      multiple: true,
      description: `only this policy (repeatable): ${ENGINE_POLICIES.join(', ')}`,
    },
    hours: { type: 'string', valueName: 'H', description: 'day length in hours (default the scenario’s; shorter for a smoke run)' },
    out: { type: 'string', valueName: 'PATH', description: 'the JSON to update (default bench/results/engine-blend-scenarios.json)' },
    merge: {
      type: 'string',
      valueName: 'PATH',
      multiple: true,
      description: 'run nothing: fold the rows of these files (runs made in parallel, e.g. one per policy) into --out',
    },
    'days-out': {
      type: 'string',
      valueName: 'PATH',
      description: 'also write the run’s engine days (one per scenario × policy × seed) to PATH, for --merge-days',
    },
    'merge-days': {
      type: 'string',
      valueName: 'PATH',
      multiple: true,
      description: 'run nothing: aggregate the days of these --days-out files (seed ranges run in parallel) into rows of --out',
    },
  },
  examples: [
    'nice -n 19 pnpm bench:engine-blend --scenario blend-20-heavy --seeds 1 --out /tmp/cost.json',
    'nice -n 19 pnpm bench:engine-blend --scenario blend-20-heavy --policy demand --out /tmp/demand.json   # one policy per process',
    'pnpm bench:engine-blend --merge /tmp/demand.json --merge /tmp/hold.json   # their rows into engine-blend-scenarios.json',
    'nice -n 19 pnpm bench:engine-blend --scenario blend-20-heavy --policy demand --first-seed 11 --seeds 10 --days-out /tmp/d11.json --out /tmp/x.json',
    'pnpm bench:engine-blend --merge-days /tmp/d1.json --merge-days /tmp/d11.json   # one row per scenario × policy over all their seeds',
  ],
};

function loadScenarios(names: readonly string[]): BlendScenario[] {
  const all = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseBlendScenario(JSON.parse(readFileSync(join(SCENARIO_DIR, f), 'utf8'))));
  for (const n of names)
    if (!all.some((s) => s.name === n)) throw new CliError(`--scenario: no scenario ${n} (${all.map((s) => s.name).join(', ')})`);
  return names.length > 0 ? all.filter((s) => names.includes(s.name)) : all;
}

const pct = (x: number | null, d = 1) => (x === null ? '—' : `${(x * 100).toFixed(d)}%`);
const pts = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`);

interface EngineBlendFile {
  bench: string;
  targets: typeof TARGETS;
  results: EngineBlendRow[];
  targetsByScenario: Record<string, ReturnType<typeof checkEngineTargets>>;
}

function report(rows: readonly EngineBlendRow[]): void {
  for (const scenario of [...new Set(rows.map((r) => r.scenario))]) {
    const own = rows.filter((r) => r.scenario === scenario);
    const r0 = own[0] as EngineBlendRow;
    printTable(
      `${scenario} through the engine, seeds ${r0.firstSeed}–${r0.firstSeed + r0.seeds - 1}, ${r0.hours} h`,
      [
        'policy',
        'inbound SL',
        'intervals ≥ target',
        'in spike',
        'worst interval',
        'ASA s',
        'queue abandons',
        'outbound talk',
        'live answers',
        'abandon run / daily p95',
        'occupancy',
        'ready',
      ],
      own.map((r) => [
        r.policy,
        pct(r.inboundServiceLevel),
        pct(r.intervalsMeetingTarget),
        pct(r.intervalsMeetingTargetInSpike),
        pct(r.worstIntervalServiceLevel),
        r.asaSeconds.toFixed(1),
        pct(r.inboundQueueAbandonRate),
        r.outboundTalkFraction.toFixed(3),
        r.outboundLiveAnswers,
        `${pct(r.outboundAbandonRate, 2)} / ${pct(r.outboundAbandonRateDailyP95, 2)}`,
        r.occupancy.toFixed(3),
        pct(r.idle.ready),
      ]),
    );
    const t = checkEngineTargets(own);
    if (t)
      console.log(
        `  targets: SL held ${t.serviceLevelHeld ? 'yes' : 'NO'}; abandon run ${t.outboundAbandonRun ? 'yes' : 'NO'}, daily p95 ${t.outboundAbandonDailyP95 ? 'yes' : 'NO'}; ` +
          `occupancy vs static ${pts(t.overStatic?.gain)} pts (${t.overStatic ? (t.overStatic.met ? 'met' : 'NOT met') : 'not run'}), ` +
          `vs inbound-first ${pts(t.overInboundFirst?.gain)} pts (${t.overInboundFirst ? (t.overInboundFirst.met ? 'met' : 'NOT met') : 'not run'}), ` +
          `live answers vs hold ×${t.overHold?.liveAnswersRatio ?? '—'}`,
      );
  }
}

async function main(): Promise<void> {
  const values = parseCli(SPEC);
  if (values === undefined) return;
  const seeds = integerOption(values, 'seeds', 20, 1);
  const firstSeed = integerOption(values, 'first-seed', 1);
  const hoursRaw = stringOption(values, 'hours');
  const hours = hoursRaw === undefined ? undefined : Number(hoursRaw);
  if (hours !== undefined && !(hours > 0 && hours <= 24)) throw new CliError(`--hours: expected hours in (0, 24], got "${hoursRaw}"`);
  const policies = ((values.policy as string[] | undefined) ?? [...ENGINE_POLICIES]).map((p) => {
    if (!(ENGINE_POLICIES as readonly string[]).includes(p))
      throw new CliError(`--policy: expected one of ${ENGINE_POLICIES.join(', ')}, got ${p}`);
    return p as EnginePolicy;
  });
  const scenarios = loadScenarios((values.scenario as string[] | undefined) ?? []);
  const out = userPath(stringOption(values, 'out') ?? DEFAULT_OUT);

  const fresh: EngineBlendRow[] = [];
  // 23-speed: rows of runs made in parallel (each replaces its scenario × policy rows, as a run does).
  const merged = (values.merge as string[] | undefined) ?? [];
  for (const path of merged) fresh.push(...((JSON.parse(readFileSync(userPath(path), 'utf8')) as Partial<EngineBlendFile>).results ?? []));
  // 23-speed: days of seed ranges run in parallel, aggregated as one run over all their seeds.
  const mergedDays = (values['merge-days'] as string[] | undefined) ?? [];
  if (mergedDays.length > 0) {
    const days = mergedDays.flatMap((path) => JSON.parse(readFileSync(userPath(path), 'utf8')) as EngineDay[]);
    const all = loadScenarios([]);
    for (const key of [...new Set(days.map((d) => `${d.scenario}/${d.policy}`))]) {
      const own = days.filter((d) => `${d.scenario}/${d.policy}` === key).sort((a, b) => a.seed - b.seed);
      const seedsSeen = own.map((d) => d.seed);
      if (new Set(seedsSeen).size !== seedsSeen.length)
        throw new CliError(`--merge-days: ${key} has a seed twice (${seedsSeen.join(', ')})`);
      const scenario = all.find((s) => s.name === own[0]?.scenario);
      if (scenario === undefined) throw new CliError(`--merge-days: no scenario ${own[0]?.scenario}`);
      fresh.push(aggregateEngineDays(own, scenario.inbound.serviceLevelTarget));
    }
  }
  const ranDays: EngineDay[] = [];
  if (merged.length === 0 && mergedDays.length === 0)
    for (const scenario of scenarios) {
      for (const policy of policies) {
        const days: EngineDay[] = [];
        for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
          const day = await runEngineBlendDay(scenario, policy, seed, hours === undefined ? {} : { hours });
          days.push(day);
          ranDays.push(day);
          console.error(`${scenario.name} ${policy} seed ${seed}: ${(day.wallMs / 1000).toFixed(1)} s`);
        }
        fresh.push(aggregateEngineDays(days, scenario.inbound.serviceLevelTarget));
      }
    }
  const before: EngineBlendRow[] = existsSync(out)
    ? ((JSON.parse(readFileSync(out, 'utf8')) as Partial<EngineBlendFile>).results ?? [])
    : [];
  const key = (r: EngineBlendRow) => `${r.scenario}/${r.policy}`;
  const ran = new Set(fresh.map(key));
  const rows = [...before.filter((r) => !ran.has(key(r)) && typeof r.policy === 'string' && r.scenario !== undefined), ...fresh].sort(
    (a, b) => a.scenario.localeCompare(b.scenario) || ENGINE_POLICIES.indexOf(a.policy) - ENGINE_POLICIES.indexOf(b.policy),
  );
  // The table shows this run's scenarios (with the kept rows of their other policies); the JSON keeps every row.
  const shown = new Set(fresh.map((r) => r.scenario));
  report(rows.filter((r) => shown.has(r.scenario)));
  const file: EngineBlendFile = {
    bench:
      'bench:engine-blend — bench:blend’s scenarios through the engine (createDialer, trunk-sim, virtual clock); policy demand is ours',
    targets: TARGETS,
    results: rows,
    targetsByScenario: Object.fromEntries(
      [...new Set(rows.map((r) => r.scenario))].map((s) => [s, checkEngineTargets(rows.filter((r) => r.scenario === s))]),
    ),
  };
  const daysOut = stringOption(values, 'days-out');
  if (daysOut !== undefined) writeFileSync(userPath(daysOut), `${JSON.stringify(ranDays)}\n`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

runCli(main);
