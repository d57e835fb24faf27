/**
 * `pnpm bench:dashboard-sse` — the dashboard under an SSE flood on loopback: 500 live-update
 * streams, 100 of them never reading (the clients run in their own process), while an API
 * client measures `GET /api/campaigns`. The baseline is the same API with no stream open,
 * measured in the same run. Prints a table and writes bench/results/dashboard-sse.json
 * (`{ rssGrowthMb, apiP50Ms, apiP99Ms, baselineP99Ms, p99Ratio, streams, silent, droppedSlow }`).
 * Targets (issue 20): RSS growth ≤ 50 MB, API p99 ≤ 100 ms.
 *
 *   --seconds N   flood duration (default 20)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { percentile, runSseFlood } from '../test/support/sse-flood';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 20;
if (!(seconds > 0)) throw new Error(`--seconds: expected a positive number, got ${args[secondsAt + 1]}`);
const MB = 1024 * 1024;

const baseline = await runSseFlood({ connections: 0, silent: 0, durationMs: Math.min(10_000, seconds * 1_000), updateEveryMs: 100 });
const flood = await runSseFlood({ connections: 500, silent: 100, durationMs: seconds * 1_000, updateEveryMs: 100 });
const row = (name: string, r: typeof flood) => ({
  run: name,
  streams: r.accepted,
  silent: r.silent,
  readers: r.readersConnected,
  'RSS growth MB': ((r.rssPeak - r.rssBefore) / MB).toFixed(1),
  'API p50 ms': percentile(r.apiLatenciesMs, 50).toFixed(1),
  'API p99 ms': percentile(r.apiLatenciesMs, 99).toFixed(1),
  calls: r.apiLatenciesMs.length,
});
console.table([row('no streams (baseline)', baseline), row('500 streams, 100 silent', flood)]);
const result = {
  rssGrowthMb: Number(((flood.rssPeak - flood.rssBefore) / MB).toFixed(1)),
  apiP50Ms: Number(percentile(flood.apiLatenciesMs, 50).toFixed(2)),
  apiP99Ms: Number(percentile(flood.apiLatenciesMs, 99).toFixed(2)),
  baselineP99Ms: Number(percentile(baseline.apiLatenciesMs, 99).toFixed(2)),
  p99Ratio: Number((percentile(flood.apiLatenciesMs, 99) / percentile(baseline.apiLatenciesMs, 99)).toFixed(2)),
  streams: flood.accepted,
  silent: flood.silent,
  droppedSlow: flood.droppedSlow,
};
console.log(
  `targets: RSS growth ${result.rssGrowthMb} MB (≤ 50: ${result.rssGrowthMb <= 50 ? 'met' : 'NOT met'}), API p99 ${result.apiP99Ms} ms (≤ 100: ${result.apiP99Ms <= 100 ? 'met' : 'NOT met'})`,
);
const out = join(import.meta.dirname, 'results', 'dashboard-sse.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
