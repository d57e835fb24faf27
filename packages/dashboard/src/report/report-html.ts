import { KPI_DEFINITIONS } from '@paceline/engine';
import { chartJsSource } from '../chart-source';
import { escapeHtml, inlineJson } from '../escape-html';

/** One sample of a simulated day's time series (the HTML report's charts). */
export interface DaySample {
  /** Minutes since the campaign started. */
  readonly minute: number;
  /** Rolling abandon rate (0–1) over the compliance window. */
  readonly abandonRate: number;
  /** Calls in flight per ready-or-busy agent the pacer was working with. */
  readonly dialRatio: number;
  readonly agents: Readonly<Record<string, number>>;
}

/** Everything the HTML run report shows (`paceline simulate --html`, `pnpm demo`). */
export interface DayReport {
  readonly title: string;
  readonly subtitle: string;
  readonly kpis: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  readonly abandonCap: number;
  readonly samples: readonly DaySample[];
  readonly outcomes: Readonly<Record<string, number>>;
  /** issue-24: the window the law measures the abandon rate over, ms (default 30 days, the US TSR's). */
  readonly abandonWindowMs?: number;
}

/** issue-24: which abandon rate the law measures, said under the chart (the early-day rate jumps on few calls). */
function lawNote(windowMs: number): string {
  const window =
    windowMs >= 30 * 86_400_000
      ? 'The US Telemarketing Sales Rule measures the abandon rate over 30 days per campaign: early in the day, on few live answers, this line can cross the cap without a breach — the 30-day figure is what must stay under it.'
      : 'Ofcom measures the abandon rate over 24 hours: that figure must stay under the cap.';
  return `${window} ${KPI_DEFINITIONS.abandonRate}`;
}

/**
 * A self-contained HTML page (chart.js inlined, so it opens offline) for a simulated
 * campaign day. Moved here from `examples/demo` so the demo and `paceline simulate --html` share it.
 */
export function renderHtmlReport(report: DayReport): string {
  const data = inlineJson(report);
  const kpis = report.kpis.map((k) => `<tr><th>${escapeHtml(k.label)}</th><td>${escapeHtml(k.value)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1d2433;padding:0 16px}
h1{margin:0 0 4px;font-size:24px} .sub{color:#5b6475;margin:0 0 20px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:20px} .card{border:1px solid #dde2ea;border-radius:8px;padding:14px}
table{border-collapse:collapse;width:100%} th{text-align:left;font-weight:500;color:#5b6475;padding:4px 8px 4px 0} td{text-align:right;font-variant-numeric:tabular-nums}
h2{font-size:16px;margin:0 0 8px} canvas{max-height:300px} .law{font-size:13px;color:#334155;background:#f1f5f9;border-radius:6px;padding:6px 8px}
</style></head><body>
<h1>${escapeHtml(report.title)}</h1><p class="sub">${escapeHtml(report.subtitle)}</p>
<div class="grid">
<div class="card"><h2>Key figures</h2><table>${kpis}</table></div>
<div class="card"><h2>Outcomes</h2><canvas id="outcomes" aria-label="Call outcomes"></canvas></div>
<div class="card"><h2>Abandon rate over the day (cap ${(report.abandonCap * 100).toFixed(1)}%)</h2><canvas id="abandon" aria-label="Abandon rate"></canvas>
<p class="law">${escapeHtml(lawNote(report.abandonWindowMs ?? 30 * 86_400_000))}</p></div>
<div class="card"><h2>Dial ratio over the day</h2><canvas id="ratio" aria-label="Dial ratio"></canvas></div>
<div class="card" style="grid-column:1/-1"><h2>Agents by state</h2><canvas id="agents" aria-label="Agent states"></canvas></div>
</div>
<script>${chartJsSource()}</script>
<script>
const report = ${data};
const minutes = report.samples.map(s => { const m = s.minute; return String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(Math.round(m % 60)).padStart(2, '0'); });
const line = (id, datasets, yOptions) => new Chart(document.getElementById(id), { type: 'line', data: { labels: minutes, datasets },
  options: { animation: false, elements: { point: { radius: 0 } }, interaction: { mode: 'index', intersect: false }, scales: { y: yOptions } } });
line('abandon', [
  { label: 'abandon rate %', data: report.samples.map(s => s.abandonRate * 100), borderColor: '#c2410c' },
  { label: 'cap %', data: report.samples.map(() => report.abandonCap * 100), borderColor: '#6b7280', borderDash: [6, 4] },
], { beginAtZero: true });
line('ratio', [{ label: 'lines per agent', data: report.samples.map(s => s.dialRatio), borderColor: '#1d4ed8' }], { beginAtZero: true });
const states = Object.keys(report.samples[0]?.agents ?? {});
const colours = { ready: '#16a34a', reserved: '#a3e635', 'on-call': '#2563eb', 'wrap-up': '#7c3aed', 'not-ready': '#f59e0b', 'logged-out': '#9ca3af' };
new Chart(document.getElementById('agents'), { type: 'line', data: { labels: minutes, datasets: states.map(st => ({ label: st,
  data: report.samples.map(s => s.agents[st]), fill: true, backgroundColor: colours[st] ?? '#999', borderWidth: 0, pointRadius: 0 })) },
  options: { animation: false, scales: { y: { stacked: true, beginAtZero: true } } } });
new Chart(document.getElementById('outcomes'), { type: 'bar', data: { labels: Object.keys(report.outcomes),
  datasets: [{ label: 'calls', data: Object.values(report.outcomes), backgroundColor: '#0f766e' }] }, options: { animation: false, indexAxis: 'y' } });
</script></body></html>
`;
}
