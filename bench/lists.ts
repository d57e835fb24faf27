// `pnpm bench:lists [--rows 1000000] [--registry-size 250000000]`: import + normalise + time
// zone + scrub of a generated CSV against a generated US-style do-not-call registry.
// Prints a table and writes bench/results/lists.json. The registry is generated straight into
// the packed structure from a seeded generator (no 3 GB text file); a smaller sample makes the
// round trip through a real file to prove the file loader gives the same set.
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@paceline/core';
import {
  areaCodeInfo,
  DncBook,
  DncRegistry,
  importContacts,
  knownAreaCodes,
  loadUsRegistry,
  type PackedPhoneSet,
  PackedPhoneSetWriter,
  postalHint,
} from '@paceline/lists';
import { printTable } from './support/table';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]?.replaceAll('_', '')) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name}: expected a positive integer, got ${process.argv[i + 1]}`);
  return value;
}

const ROWS = flag('rows', 1_000_000);
const REGISTRY_SIZE = flag('registry-size', 250_000_000);
const FILE_SAMPLE = Math.min(REGISTRY_SIZE, 5_000_000);
const LOOKUPS = 20_000_000;
const now = () => performance.now();

/** xorshift32: a seeded generator cheap enough for 250 million draws. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4_294_967_296;
  };
}

const US_AREA_CODES = knownAreaCodes().filter((c) => areaCodeInfo(c)?.country === 'US');

/**
 * `size` distinct numbers spread over every US area code and exchange, pushed in ascending
 * order: each bucket of 10,000 line numbers gets its exact share, placed at uniform order
 * statistics (exponential spacings), so the set looks like a real registry to the lookups.
 */
function generateRegistry(size: number, seed: number): PackedPhoneSet {
  const next = xorshift(seed);
  const buckets = US_AREA_CODES.length * 800;
  const writer = new PackedPhoneSetWriter(size);
  const spacing = new Float64Array(10_001);
  let remaining = size;
  let bucketIndex = 0;
  for (const npa of US_AREA_CODES) {
    for (let nxx = 200; nxx <= 999; nxx++) {
      const k = Math.min(10_000, Math.round(remaining / (buckets - bucketIndex)));
      bucketIndex++;
      remaining -= k;
      if (k === 0) continue;
      let total = 0;
      for (let j = 0; j <= k; j++) {
        const e = -Math.log(1 - next());
        spacing[j] = e;
        total += e;
      }
      const head = (10_000_000_000 + npa * 10_000_000 + nxx * 10_000) as number;
      const scale = (10_000 - k) / total;
      let acc = 0;
      for (let j = 0; j < k; j++) {
        acc += spacing[j] as number;
        // j + floor(scaled position) is strictly increasing and stays below 10,000.
        writer.push(head + j + Math.floor(acc * scale));
      }
    }
  }
  return writer.finish();
}

function lookupSingly(set: PackedPhoneSet, probes: Float64Array): { hits: number; perSecond: number } {
  let hits = 0;
  const t = now();
  for (let i = 0; i < probes.length; i++) if (set.hasKey(probes[i] as number)) hits++;
  return { hits, perSecond: Math.round(probes.length / ((now() - t) / 1000)) };
}

function randomUsNumber(next: () => number): number {
  const npa = US_AREA_CODES[Math.floor(next() * US_AREA_CODES.length)] as number;
  const nxx = 200 + Math.floor(next() * 800);
  return 10_000_000_000 + npa * 10_000_000 + nxx * 10_000 + Math.floor(next() * 10_000);
}

/** ZIP3 prefixes per state, so a row's ZIP code agrees with its area code as in real lists. */
const ZIP3_BY_STATE = new Map<string, string[]>();
for (let z = 0; z < 1000; z++) {
  const zip3 = String(z).padStart(3, '0');
  const region = postalHint(`${zip3}01`, 'US')?.region;
  if (region) ZIP3_BY_STATE.set(region, [...(ZIP3_BY_STATE.get(region) ?? []), zip3]);
}

function generateCsv(rows: number): Buffer[] {
  const random = seededRandom(7);
  const next = () => random.next();
  const chunks: Buffer[] = [];
  let lines: string[] = ['customer_id,first_name,last_name,phone,zip,state,tenure_months,spend,tier'];
  for (let i = 1; i <= rows; i++) {
    const n = String(randomUsNumber(next) - 10_000_000_000);
    const [a, e, l] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
    const phone = i % 4 === 0 ? `(${a}) ${e}-${l}` : i % 4 === 1 ? `${a}-${e}-${l}` : i % 4 === 2 ? `+1 ${a} ${e} ${l}` : n;
    const state = areaCodeInfo(Number(a))?.region ?? '';
    const zip3s = ZIP3_BY_STATE.get(state) ?? ['100'];
    const zip = `${zip3s[Math.floor(next() * zip3s.length)]}${String(Math.floor(next() * 100)).padStart(2, '0')}`;
    lines.push(
      `C${i},Ann,"Lee, ${i % 100}",${phone},${zip},${i % 9 === 0 ? state : ''},${i % 120},${(i % 5000) / 2},${i % 3 === 0 ? 'gold' : 'silver'}`,
    );
    if (lines.length === 20_000) {
      chunks.push(Buffer.from(`${lines.join('\n')}\n`));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(`${lines.join('\n')}\n`));
  return chunks;
}

async function main(): Promise<void> {
  console.log(`generating a ${REGISTRY_SIZE.toLocaleString('en')}-number registry and a ${ROWS.toLocaleString('en')}-row CSV …`);
  let t = now();
  const numbers = generateRegistry(REGISTRY_SIZE, 42);
  const registryLoadSeconds = (now() - t) / 1000;
  const registry = new DncRegistry({ kind: 'us-national', asOfMs: Date.UTC(2026, 6, 1), numbers });

  // File round trip on a sample: the loader must give the same set as the generator.
  const sample = generateRegistry(FILE_SAMPLE, 43);
  const dir = join(tmpdir(), `paceline-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'dnc-sample.txt');
  {
    const out: string[] = [];
    sample.forEachKey((key) => out.push(String(key - 10_000_000_000)));
    // Shuffle-free but not in the generator's order: reverse it, so the loader must sort.
    out.reverse();
    writeFileSync(file, `${out.join('\n')}\n`);
  }
  t = now();
  const loaded = await loadUsRegistry(createReadStream(file, { highWaterMark: 1 << 20 }), { asOfMs: 0 });
  const fileSeconds = (now() - t) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (loaded.registry.size !== sample.size || loaded.report.problemCount !== 0) throw new Error('file round trip lost numbers');
  const check = [...sample.keys()].filter((_, i) => i % 997 === 0);
  if (!check.every((k) => loaded.registry.hasKey(k))) throw new Error('file round trip: a sampled number is missing');

  // Lookups: random US numbers (about one in ten is listed at 250M).
  const probeRandom = xorshift(99);
  const probes = new Float64Array(LOOKUPS);
  for (let i = 0; i < LOOKUPS; i++) probes[i] = randomUsNumber(probeRandom);
  // Batch membership (how a list is washed against the registry), then one call per number.
  const member = new Uint8Array(LOOKUPS);
  numbers.hasMany(probes.subarray(0, 1_000_000), member); // warm up
  t = now();
  const hits = numbers.hasMany(probes, member);
  const lookupSeconds = (now() - t) / 1000;
  const single = lookupSingly(numbers, probes.subarray(0, 5_000_000));
  if (single.hits !== member.subarray(0, 5_000_000).reduce((a, b) => a + b, 0)) throw new Error('hasMany and hasKey disagree');

  const csv = generateCsv(ROWS);
  const book = new DncBook();
  book.setRegistry(registry);
  let imported = 0;
  const cpuBefore = process.cpuUsage();
  t = now();
  const { report } = await importContacts(csv, {
    mapping: {
      id: 'customer_id',
      firstName: 'first_name',
      lastName: 'last_name',
      phones: ['phone'],
      postalCode: 'zip',
      state: 'state',
      profile: { tenureMonths: { column: 'tenure_months', type: 'number' }, spend: { column: 'spend', type: 'number' }, tier: 'tier' },
    },
    defaultCountry: 'US',
    listId: 'bench',
    dnc: book,
    complianceProfile: 'us-federal',
    onContact: () => {
      imported++;
    },
  });
  const importSeconds = (now() - t) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const importCpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (imported !== report.imported) throw new Error('import count mismatch');

  const result = {
    rows: ROWS,
    importSeconds: round(importSeconds, 3),
    importCpuSeconds: round(importCpuSeconds, 3),
    rowsPerSecond: Math.round(ROWS / importSeconds),
    registrySize: numbers.size,
    registryLoadSeconds: round(registryLoadSeconds, 3),
    registryBytesPerNumber: round(numbers.byteLength / numbers.size, 3),
    registryBitmapAreaCodes: numbers.bitmapBlocks,
    lookupsPerSecond: Math.round(LOOKUPS / lookupSeconds),
    singleLookupsPerSecond: single.perSecond,
  };
  printTable(
    'Lists: import + normalise + time zone + scrub (one core)',
    ['measure', 'value', 'target'],
    [
      ['rows', result.rows.toLocaleString('en'), ''],
      ['import seconds', result.importSeconds, `≤ ${round((5 * ROWS) / 1_000_000, 2)}`],
      ['rows per second', result.rowsPerSecond.toLocaleString('en'), '≥ 200,000'],
      ['  import CPU seconds (all threads; the machine may be shared)', round(importCpuSeconds, 3), ''],
      [
        '  imported / rejected (DNC, other)',
        `${report.imported.toLocaleString('en')} / ${report.rejectedByReason.dnc.toLocaleString('en')}, ${(report.rejected.length - report.rejectedByReason.dnc).toLocaleString('en')}`,
        '',
      ],
      ['registry numbers', result.registrySize.toLocaleString('en'), ''],
      ['registry build seconds (generator → packed)', result.registryLoadSeconds, ''],
      ['registry bytes per number', result.registryBytesPerNumber, '≤ 5'],
      [
        '  area codes as bitmaps / as sorted suffixes',
        `${result.registryBitmapAreaCodes} / ${US_AREA_CODES.length - result.registryBitmapAreaCodes}`,
        '',
      ],
      ['lookups per second (batch, hasMany)', result.lookupsPerSecond.toLocaleString('en'), '≥ 10,000,000'],
      ['  one call per number (hasKey)', single.perSecond.toLocaleString('en'), ''],
      ['  lookup hit rate', `${((100 * hits) / LOOKUPS).toFixed(1)} %`, ''],
      [
        `file loader (${FILE_SAMPLE.toLocaleString('en')} numbers, unsorted)`,
        `${round(fileSeconds, 2)} s = ${Math.round(FILE_SAMPLE / fileSeconds).toLocaleString('en')}/s`,
        '',
      ],
    ],
  );
  const out = join(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'lists.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results', 'lists.json')}`);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

await main();
