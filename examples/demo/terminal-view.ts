import { AgentState } from '@paceline/core';
import { type CampaignStatus, conversionRate, KPI_DEFINITIONS, saveRate } from '@paceline/engine';
import type { EngineSimulation } from '@paceline/sim';
import { amdReportRows } from './amd-rows';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const bar = (fraction: number, width = 30) => {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
};
const clockTime = (elapsedMs: number) => {
  const minutes = 9 * 60 + Math.floor(elapsedMs / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/** The live view: what a campaign manager watches during the day. */
export function renderLive(sim: EngineSimulation, status: CampaignStatus, elapsedMs: number, dayMs: number): string {
  const a = status.agents;
  const working = a[AgentState.Ready] + a[AgentState.Reserved] + a[AgentState.OnCall] + a[AgentState.WrapUp];
  const c = sim.counters;
  const cap = 0.03;
  return [
    `Paceline demo · retention drive · ${clockTime(elapsedMs)} New York   day ${bar(elapsedMs / dayMs, 20)} ${pct(elapsedMs / dayMs, 0)}`,
    '',
    `list penetration  ${bar(status.penetration)} ${pct(status.penetration)}  (${status.contacts.done + status.contacts.dnc} of ${Object.values(status.contacts).reduce((x, y) => x + y, 0)} finished)`,
    `agents            ready ${a[AgentState.Ready]}  reserved ${a[AgentState.Reserved]}  on call ${a[AgentState.OnCall]}  wrap-up ${a[AgentState.WrapUp]}  not ready ${a[AgentState.NotReady]}`,
    `calls in flight   ${status.callsInFlight}   dial ratio ${(working === 0 ? 0 : status.callsInFlight / working).toFixed(2)} lines/agent   pacer: ${status.held ? `held: ${status.held.messages.join('; ')}` : (status.lastDecision?.reason ?? '—')}`,
    `abandon rate      ${bar(status.abandonRate / cap, 20)} ${pct(status.abandonRate, 2)} of cap ${pct(cap, 0)}  (${status.abandoned} of ${status.liveAnswers} live answers)`,
    `results           dials ${c.dials}  live answers ${c.liveAnswers}  saves ${c.dispositions.SAVED ?? 0}  sales ${status.sales}  callbacks ${c.dispositions.CALLBACK ?? 0}`,
    `compliance        ${c.complianceRefusals} dials held back by the calling window, caps or DNC`,
  ].join('\n');
}

/** The end-of-day KPIs, as text for the terminal and as rows for the HTML report. */
export function renderKpis(
  sim: EngineSimulation,
  status: CampaignStatus,
  dayMs: number,
): { text: string; rows: Array<{ label: string; value: string }> } {
  const c = sim.counters;
  const t = sim.agents.timeByState(sim.clock.now());
  const loggedIn = t[AgentState.Ready] + t[AgentState.Reserved] + t[AgentState.OnCall] + t[AgentState.WrapUp] + t[AgentState.NotReady];
  const talk = t[AgentState.OnCall];
  const handled = c.connected;
  const sales = status.sales;
  const p99 = [...c.connectLatenciesMs].sort((x, y) => x - y)[Math.floor(0.99 * (c.connectLatenciesMs.length - 1))] ?? 0;
  const rows = [
    { label: 'Dials', value: String(c.dials) },
    { label: 'Live answers', value: String(c.liveAnswers) },
    { label: 'Contact rate (live answers / dials)', value: pct(c.dials === 0 ? 0 : c.liveAnswers / c.dials) },
    {
      label: 'Abandon rate (abandoned / live answers)',
      value: `${pct(c.liveAnswers === 0 ? 0 : c.abandoned / c.liveAnswers, 2)} today (the 3% cap applies to the 30-day rate)`, // issue-24
    },
    { label: 'Abandoned calls given the safe-harbour message', value: `${c.abandonedWithMessage} of ${c.abandoned}` },
    // issue-17: the AMD false-positive estimate, how it was made, and whether the abandon rate includes it.
    ...amdReportRows(sim.dialer.amdCalibration, status.campaignId, { liveAnswers: c.liveAnswers, abandoned: c.abandoned }),
    { label: 'Connect latency p99 (greeting end → agent)', value: `${(p99 / 1000).toFixed(2)} s (rule: 2 s)` },
    { label: 'Saves', value: String(c.dispositions.SAVED ?? 0) },
    { label: 'Sales (orders to fulfilment)', value: `${sales} (${c.orders})` },
    {
      // issue-24: the one definition of conversion and of the save rate (the dashboard and the CLI use them too).
      label: 'Conversion (sales / live answers)',
      value: pct(conversionRate({ sales, liveAnswers: c.liveAnswers })),
    },
    { label: 'Save rate (saves / live answers)', value: pct(saveRate({ saves: c.dispositions.SAVED ?? 0, liveAnswers: c.liveAnswers })) }, // issue-24
    { label: 'Callbacks booked', value: String(c.dispositions.CALLBACK ?? 0) },
    { label: 'AHT (talk + wrap-up)', value: `${handled === 0 ? 0 : ((talk + t[AgentState.WrapUp]) / handled / 1000).toFixed(0)} s` },
    { label: 'Occupancy ((talk + wrap-up) / logged-in)', value: pct(loggedIn === 0 ? 0 : (talk + t[AgentState.WrapUp]) / loggedIn) },
    { label: 'Talk minutes per agent hour', value: (loggedIn === 0 ? 0 : (60 * talk) / loggedIn).toFixed(1) },
    { label: 'List penetration', value: pct(status.penetration) },
    { label: 'Dials held back by compliance', value: String(c.complianceRefusals) },
    { label: 'Scorecard (sale = 5 handled contacts)', value: String(handled - sales + 5 * sales) },
  ];
  const width = Math.max(...rows.map((r) => r.label.length));
  const text = [
    `Day over (${(dayMs / 3_600_000).toFixed(0)} h virtual). KPIs:`,
    ...rows.map((r) => `  ${r.label.padEnd(width)}  ${r.value}`),
    // issue-24: the KPI explanations the dashboard shows as tooltips.
    `  ${KPI_DEFINITIONS.conversion}`,
    `  ${KPI_DEFINITIONS.saveRate}`,
  ].join('\n');
  return { text, rows };
}
