// `pnpm bench:amd`: answering-machine detection accuracy on a corpus generated here with
// espeak-ng and sox (people answering, voicemail greetings of several lengths, noise added).
// Prints a table and writes bench/results/amd.json. Targets: accuracy ≥ 0.95, people taken
// for machines ≤ 2% (each one is an abandoned live call).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AMD_OPTIONS, detectAnsweringMachine } from '../packages/trunk-sip/src/index';
import { corpusToolsAvailable, generateCorpus } from '../packages/trunk-sip/test/support/corpus';
import { printTable } from './support/table';

if (!corpusToolsAvailable()) {
  console.error('bench:amd needs espeak-ng and sox: sudo apt-get install -y espeak-ng sox');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'amd-bench-'));
const cases = generateCorpus(dir);
rmSync(dir, { recursive: true, force: true });

const rows: (string | number)[][] = [];
let correct = 0;
let humans = 0;
let machines = 0;
let humanAsMachine = 0;
let machineAsHuman = 0;
let decisionMs = 0;
const byTruth = new Map<string, { n: number; ok: number; unknown: number; ms: number }>();
for (const c of cases) {
  const d = detectAnsweringMachine(c.samples, DEFAULT_AMD_OPTIONS);
  const ok = d.result === c.truth;
  correct += ok ? 1 : 0;
  decisionMs += d.decidedAtMs;
  if (c.truth === 'human') {
    humans++;
    if (d.result === 'machine') humanAsMachine++;
  } else {
    machines++;
    if (d.result === 'human') machineAsHuman++;
  }
  const t = byTruth.get(c.truth) ?? { n: 0, ok: 0, unknown: 0, ms: 0 };
  t.n++;
  t.ok += ok ? 1 : 0;
  t.unknown += d.result === 'unknown' ? 1 : 0;
  t.ms += d.decidedAtMs;
  byTruth.set(c.truth, t);
  if (!ok) rows.push([c.name, c.truth, d.result, d.reason, d.decidedAtMs]);
}
const round = (x: number) => Math.round(x * 10_000) / 10_000;
const result = {
  cases: cases.length,
  accuracy: round(correct / cases.length),
  humanAsMachine: round(humanAsMachine / Math.max(1, humans)),
  machineAsHuman: round(machineAsHuman / Math.max(1, machines)),
  meanDecisionMs: Math.round(decisionMs / cases.length),
};
printTable(
  'AMD on the generated corpus (default options)',
  ['truth', 'cases', 'correct', 'unknown', 'mean decision ms'],
  [...byTruth].map(([truth, t]) => [truth, t.n, t.ok, t.unknown, Math.round(t.ms / t.n)]),
);
if (rows.length > 0) printTable('Misclassified', ['case', 'truth', 'result', 'reason', 'decided at ms'], rows);
console.log(`\naccuracy ${result.accuracy} (target ≥ 0.95), humans as machines ${result.humanAsMachine} (target ≤ 0.02)`);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'amd.json'), `${JSON.stringify(result, null, 2)}\n`);
