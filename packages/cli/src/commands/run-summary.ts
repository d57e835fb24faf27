import type { CampaignSnapshot, FloorSnapshot } from '@paceline/dashboard';
import { agentLabel, KPI_DEFINITIONS, localTime } from '@paceline/engine';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const num = (x: number) => x.toLocaleString('en-US');

/**
 * One line for the terminal while `paceline run` runs: the campaign's local time, state, dials
 * (and in the last hour), live answers, conversion and save rate (the one definition each:
 * `KPI_DEFINITIONS.conversion` / `.saveRate`),
 * the abandon rate the law measures against the cap, agents working of logged in, alerts, and
 * why it is (not) dialling.
 */
export function summaryLine(snapshot: FloorSnapshot): string {
  return snapshot.campaigns
    .map((c) => {
      const law = c.abandon.lawWindowMs >= 30 * 86_400_000 ? `30d ${pct(c.abandon.rate30d, 2)}` : `24h ${pct(c.abandon.rate24h, 2)}`;
      const alerts = snapshot.alerts.filter((a) => a.campaignId === undefined || a.campaignId === c.campaignId).length;
      return [
        `${localTime(c.at, c.timeZone, c.at)} ${c.timeZone}`,
        c.campaignId,
        c.state,
        `dials ${num(c.dials)} (${num(c.dialsLastHour)}/h)`,
        `live ${num(c.liveAnswers)}`,
        `conversion ${pct(c.conversion)}`,
        `save rate ${pct(c.saveRate)}`,
        `abandon ${law} (cap ${pct(c.abandon.cap, 0)})`,
        `agents ${c.agentsWorking}/${c.agentsLoggedIn}`,
        ...(alerts > 0 ? [`${alerts} alert(s)`] : []),
        c.why.message,
      ].join(' · ');
    })
    .join('\n');
}

function campaignReport(c: CampaignSnapshot, snapshot: FloorSnapshot): string[] {
  const rows: Array<[string, string]> = [
    ['State', c.state],
    ['Dials', num(c.dials)],
    ['Live answers', num(c.liveAnswers)],
    ['Contact rate (live answers / dials)', pct(c.contactRate)],
    ['Saves', num(c.saves)],
    ['Sales', num(c.sales)],
    ['Conversion (sales / live answers)', pct(c.conversion)],
    ['Save rate (saves / live answers)', pct(c.saveRate)],
    ['Abandon rate today', `${pct(c.abandon.rateToday, 2)} (${c.abandon.abandonedToday} of ${c.abandon.liveAnswersToday})`],
    [
      'Abandon rate 30 days',
      `${pct(c.abandon.rate30d, 2)} (${c.abandon.abandoned30d} of ${c.abandon.liveAnswers30d}); cap ${pct(c.abandon.cap, 0)}`,
    ],
    ['List penetration', pct(c.penetration)],
    [
      'Compliance refusals',
      Object.entries(c.refusals)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none',
    ],
    [
      'Dispositions',
      Object.entries(c.dispositions)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none',
    ],
    ['Agents (working / logged in)', `${c.agentsWorking} / ${c.agentsLoggedIn}`],
    ['Why', c.why.message],
  ];
  const agents = snapshot.agents;
  if (agents.length > 0) {
    const calls = agents.reduce((a, r) => a + r.calls, 0);
    const handleMs = agents.reduce((a, r) => a + r.talkMs + r.wrapMs, 0);
    rows.push(
      ['Agents seen today', String(agents.length)],
      ['AHT (talk + wrap-up) / calls', `${calls === 0 ? 0 : Math.round(handleMs / calls / 1000)} s`],
      ...agents.map((r): [string, string] => [
        `  ${agentLabel(r)}`,
        `${r.calls} calls, ${r.sales} sales, ${r.saves} saves, conversion ${pct(r.conversion)}, save rate ${pct(r.saveRate)}`,
      ]),
    );
  }
  const active = snapshot.alerts.filter((a) => a.campaignId === undefined || a.campaignId === c.campaignId);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `Campaign ${c.campaignId} (${c.name})`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    ...(active.length > 0 ? ['  Alerts:', ...active.map((a) => `    ${a.severity}: ${a.message}`)] : []),
    `  ${c.abandon.lawSentence}`,
  ];
}

/** The report `paceline run` prints when it stops (Ctrl-C, `--duration`, or the campaign completed). */
export function finalReport(snapshot: FloorSnapshot): string {
  return [
    'Final report',
    ...snapshot.campaigns.flatMap((c) => campaignReport(c, snapshot)),
    `Conversion: ${KPI_DEFINITIONS.conversion}`,
    `Save rate: ${KPI_DEFINITIONS.saveRate}`,
    '',
  ].join('\n');
}
