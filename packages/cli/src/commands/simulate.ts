import { writeFileSync } from 'node:fs';
import { AgentState, PacelineError } from '@paceline/core';
import { type DaySample, renderHtmlReport } from '@paceline/dashboard';
import { createCampaignPacer, powerPacer, predictivePacer, progressivePacer } from '@paceline/pacing';
import { parseScenario, type Scenario, Simulation, type SimulationResult, simulationOf } from '@paceline/sim';
import { CliError } from '../cli-error';
import { kvTable, type Output, percent, startProgress } from '../output';
import { readJson } from '../read-input';

/** The pacers `paceline simulate --pacer` knows. */
export const SIMULATE_PACERS = ['predictive', 'progressive', 'power'] as const;
/** A pacer name of `paceline simulate`. */
export type SimulatePacer = (typeof SIMULATE_PACERS)[number];

/** Options of `paceline simulate`. */
export interface SimulateOptions {
  readonly pacer: SimulatePacer;
  readonly seed: number;
  readonly days: number;
  readonly html?: string;
  readonly json: boolean;
}

function pacerOf(name: SimulatePacer) {
  switch (name) {
    case 'progressive':
      return createCampaignPacer({ dialMode: 'progressive' }, { pacer: progressivePacer() });
    case 'power':
      return createCampaignPacer({ dialMode: 'power' }, { pacer: powerPacer() });
    case 'predictive':
      return createCampaignPacer({ dialMode: 'predictive' }, { pacer: predictivePacer() });
  }
}

/** Load a scenario file; a bad field fails with its path (`scenario.shifts[0].count: …`). */
export function loadScenario(path: string): Scenario {
  const raw = readJson(path, 'scenario');
  try {
    return parseScenario(raw);
  } catch (error) {
    if (error instanceof PacelineError) throw new CliError(`scenario ${path}: ${error.message}`);
    throw error;
  }
}

/** The KPIs of a run, as rows for people and fields for machines. */
export function simulationKpis(r: SimulationResult): { rows: Array<[string, string]>; json: Record<string, number> } {
  const dailyRates = r.counters.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers);
  const worstDay = dailyRates.length === 0 ? 0 : Math.max(...dailyRates);
  const json = {
    dials: r.counters.dials,
    liveAnswers: r.counters.liveAnswers,
    connected: r.counters.connected,
    abandoned: r.counters.abandoned,
    abandonRate: r.abandonRate,
    worstDayAbandonRate: worstDay,
    contactRate: r.counters.dials === 0 ? 0 : r.counters.liveAnswers / r.counters.dials,
    talkFraction: r.talkFraction,
    talkMinutesPerAgentHour: 60 * r.talkFraction,
    occupancy: r.occupancy,
    agentWaitMeanS: r.agentWaitMeanS,
    dialsPerAgentHour: r.dialsPerAgentHour,
    loggedInHours: r.loggedInMs / 3_600_000,
    ...amdKpis(r),
  };
  const rows: Array<[string, string]> = [
    ['dials', String(json.dials)],
    ['live answers', String(json.liveAnswers)],
    ['contact rate', percent(json.contactRate)],
    ['abandoned', String(json.abandoned)],
    ['abandon rate', percent(json.abandonRate, 2)],
    ['worst day abandon rate', percent(json.worstDayAbandonRate, 2)],
    ['talk min / agent hour', json.talkMinutesPerAgentHour.toFixed(1)],
    ['occupancy', percent(json.occupancy)],
    ['agent wait (mean)', `${json.agentWaitMeanS.toFixed(1)} s`],
    ['dials / agent hour', json.dialsPerAgentHour.toFixed(1)],
    ['logged-in agent hours', json.loggedInHours.toFixed(1)],
    ...amdRows(json),
  ];
  return { rows, json };
}

/**
 * issue-17: call analysis against the simulated truth. A person taken for a machine is hung up
 * on: an abandoned call the dialer's own ledger never sees. The simulator knows the truth, so
 * the false positives are counted, not estimated; the abandon rate that adds them is the one
 * profiles such as Ofcom's require (the engine estimates it: docs/trunks.md).
 */
function amdKpis(r: SimulationResult) {
  const a = r.counters.amd;
  const fp = a.peopleAsMachines;
  const answers = r.counters.liveAnswers + fp;
  return {
    amdMachineDecisions: a.machineDecisions,
    amdPeopleAsMachines: fp,
    amdFalsePositiveRate: a.machineDecisions === 0 ? 0 : fp / a.machineDecisions,
    amdMachinesAsPeople: a.machinesAsPeople,
    abandonRateWithAmd: answers === 0 ? 0 : (r.counters.abandoned + fp) / answers,
  };
}

function amdRows(k: ReturnType<typeof amdKpis>): Array<[string, string]> {
  return [
    ['AMD machine decisions', String(k.amdMachineDecisions)],
    [
      'AMD false positives (people taken for machines)',
      `${k.amdPeopleAsMachines} (${percent(k.amdFalsePositiveRate)} of machine decisions; simulated truth, not an estimate)`,
    ],
    ['machines passed to agents as people', String(k.amdMachinesAsPeople)],
    ['abandon rate incl. AMD false positives (Ofcom)', percent(k.abandonRateWithAmd, 2)],
  ];
}

/** `paceline simulate <scenario.json>`: run the pacer-direct simulator, print the KPI table. */
export function simulate(path: string, options: SimulateOptions, out: Output): void {
  const scenario = loadScenario(path);
  const base = simulationOf(scenario, options.seed, pacerOf(options.pacer), options.days);
  const samples: DaySample[] = [];
  const sampleEveryMs = 5 * 60_000;
  const progress = options.json ? { update() {}, stop() {} } : startProgress(out, 'simulating', base.durationMs / 60_000, 'virtual min');
  let nextSampleAt = 0;
  let lastDials = 0;
  let sim: Simulation | undefined;
  sim = new Simulation({
    ...base,
    onDecision: (_decision, now) => {
      progress.update(now / 60_000);
      if (!sim || now < nextSampleAt) return;
      nextSampleAt = now + sampleEveryMs;
      const agents: Record<string, number> = Object.fromEntries(Object.values(AgentState).map((s) => [s, 0]));
      for (const a of sim.roster.agents) agents[a.state] = (agents[a.state] ?? 0) + 1;
      const working = (agents.ready ?? 0) + (agents.reserved ?? 0) + (agents['on-call'] ?? 0) + (agents['wrap-up'] ?? 0);
      const c = sim.dialer.counters;
      // Dials over the last sample period per working agent per minute stands in for lines per agent.
      const dialRatio = working === 0 ? 0 : (c.dials - lastDials) / working / (sampleEveryMs / 60_000);
      lastDials = c.dials;
      samples.push({ minute: now / 60_000, abandonRate: c.liveAnswers === 0 ? 0 : c.abandoned / c.liveAnswers, dialRatio, agents });
    },
  });
  const result = sim.run();
  progress.stop();
  const kpis = simulationKpis(result);
  if (options.html) {
    writeFileSync(
      options.html,
      renderHtmlReport({
        title: `Paceline simulation — ${scenario.name}`,
        subtitle: `${scenario.description} Pacer ${options.pacer}, seed ${options.seed}, ${options.days} day(s).`,
        kpis: kpis.rows.map(([label, value]) => ({ label, value })),
        abandonCap: scenario.pacing.abandonTarget,
        samples,
        outcomes: result.counters.outcomes,
      }),
    );
  }
  if (options.json) {
    const payload = { scenario: scenario.name, pacer: options.pacer, seed: options.seed, days: options.days, kpis: kpis.json };
    out.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
    return;
  }
  out.stdout.write(
    `${scenario.name} · ${options.pacer} · seed ${options.seed} · ${options.days} day(s)\n\n${kvTable(kpis.rows)}\n` +
      (options.html ? `\nReport with charts: ${options.html}\n` : ''),
  );
}
