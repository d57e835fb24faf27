// `pnpm bench:lists [--rows 1000000] [--registry-size 250000000] [--xlsx-rows 100000]
// [--upload-rows 500000] [--upload-agents 200]`: import + normalise + time zone + scrub of a
// generated CSV against a generated US-style do-not-call registry; the same for a dirty file
// (semicolons, Windows-1252, CRLF, header spelt differently, extensions, prose and Excel
// scientific-notation phones, trailing empty cells, unclosed quotes); an XLSX list; and an
// upload under load (bench/support/lists-upload-node.ts, its own process: a 200-agent
// campaign dialling on trunk-sim in real time while a 500k-row list is uploaded), once on the
// embedded store (the upload* fields) and once on a real redis-server (uploadRedis).
// Prints a table and writes bench/results/lists.json. The registry is generated straight into
// the packed structure from a seeded generator (no 3 GB text file); a smaller sample makes the
// round trip through a real file to prove the file loader gives the same set.
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
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
import ExcelJS from 'exceljs';
import type { UploadUnderLoadResult } from './support/lists-upload-node';
import { printTable } from './support/table';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]?.replaceAll('_', '')) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name}: expected a positive integer, got ${process.argv[i + 1]}`);
  return value;
}

const ROWS = flag('rows', 1_000_000);
const XLSX_ROWS = flag('xlsx-rows', 100_000);
const UPLOAD_ROWS = flag('upload-rows', 500_000);
const UPLOAD_AGENTS = flag('upload-agents', 200);
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

const NAMES = ['Zoë', 'José', 'Jürgen', 'Ann', 'Renée', 'François', "O'Brien", 'Åsa'];

/**
 * The dirty file: what agencies and European Excel send. Semicolons, CRLF, Windows-1252,
 * header names in other case and spacing, a quoted last name with the delimiter in it on every
 * row, and per row one of: an extension, a number in prose, Excel scientific notation, a
 * trailing empty cell, an unclosed quote (closed by the next row's quote).
 */
function generateDirtyCsv(rows: number): Buffer[] {
  const random = seededRandom(8);
  const next = () => random.next();
  const chunks: Buffer[] = [];
  let lines: string[] = ['Customer ID;First Name; LAST NAME ;Phone;ZIP;State;Tenure Months;Spend;Tier'];
  for (let i = 1; i <= rows; i++) {
    const n = String(randomUsNumber(next) - 10_000_000_000);
    const [a, e, l] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
    let phone = i % 4 === 0 ? `(${a}) ${e}-${l}` : i % 4 === 1 ? `${a}-${e}-${l}` : i % 4 === 2 ? `+1 ${a} ${e} ${l}` : n;
    if (i % 50 === 0) phone = `${a}-${e}-${l} ext. ${i % 900}`;
    else if (i % 97 === 0) phone = `call ${a} ${e} ${l} now`;
    else if (i % 211 === 0) phone = `${a[0]},${a.slice(1)}${e}E+09`;
    const state = areaCodeInfo(Number(a))?.region ?? '';
    const zip3s = ZIP3_BY_STATE.get(state) ?? ['100'];
    const zip = `${zip3s[Math.floor(next() * zip3s.length)]}${String(Math.floor(next() * 100)).padStart(2, '0')}`;
    const spend = `${(i % 5000) / 2}`.replace('.', ',');
    const name = NAMES[i % NAMES.length] as string;
    const last = i % 1000 === 0 ? '"Lee' : `"Lee; ${i % 100}"`; // every 1000th row leaves its quote open
    lines.push(
      `C${i};${name};${last};${phone};${zip};${i % 9 === 0 ? state : ''};${i % 120};${spend};${i % 3 === 0 ? 'gold' : 'silver'}${i % 13 === 0 ? ';' : ''}`,
    );
    if (lines.length === 20_000) {
      chunks.push(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
  // As a file arrives: 1 MB reads.
  const whole = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let at = 0; at < whole.length; at += 1 << 20) out.push(whole.subarray(at, at + (1 << 20)));
  return out;
}

/** An XLSX list written with exceljs's streaming writer (shared strings, as Excel writes them). */
async function generateXlsx(rows: number): Promise<Buffer> {
  const random = seededRandom(9);
  const next = () => random.next();
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (c: Buffer) => parts.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('Contacts');
  sheet.addRow(['customer_id', 'first_name', 'last_name', 'phone', 'zip', 'tenure_months', 'tier']).commit();
  for (let i = 1; i <= rows; i++) {
    const n = randomUsNumber(next) - 10_000_000_000;
    // Half the phones as numbers (what Excel stores for digits), half as formatted text.
    const phone = i % 2 === 0 ? n : `(${String(n).slice(0, 3)}) ${String(n).slice(3, 6)}-${String(n).slice(6)}`;
    sheet
      .addRow([
        `C${i}`,
        NAMES[i % NAMES.length],
        `Lee ${i % 100}`,
        phone,
        `1${String(i % 10_000).padStart(4, '0')}`,
        i % 120,
        i % 3 === 0 ? 'gold' : 'silver',
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(parts);
}

/** Run the upload-under-load process and read its one JSON line. */
async function uploadUnderLoad(store: 'memory' | 'redis'): Promise<UploadUnderLoadResult> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc', // for the live heap after a full collection (retainedHeapGrowthMb)
      '--import',
      'tsx',
      '--conditions=@paceline/source',
      join(import.meta.dirname, 'support', 'lists-upload-node.ts'),
      '--rows',
      String(UPLOAD_ROWS),
      '--agents',
      String(UPLOAD_AGENTS),
      '--store',
      store,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let result: UploadUnderLoadResult | undefined;
  for await (const line of createInterface({ input: child.stdout }))
    if (line.startsWith('{')) result = JSON.parse(line) as UploadUnderLoadResult;
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (!result || code !== 0) throw new Error(`upload under load: the process exited with ${code} and no result`);
  return result;
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

  // The dirty file, through the same import, registry and mapping (names spelt as in its header).
  const dirty = generateDirtyCsv(ROWS);
  let dirtyRead = 0;
  const dirtyCpuBefore = process.cpuUsage();
  t = now();
  const { report: dirtyReport } = await importContacts(dirty, {
    mapping: {
      id: 'customer id',
      firstName: 'first name',
      lastName: 'last name',
      phones: ['phone'],
      postalCode: 'zip',
      state: 'state',
      profile: { tenureMonths: { column: 'tenure months', type: 'number' }, tier: 'tier' },
    },
    defaultCountry: 'US',
    listId: 'dirty',
    dnc: book,
    complianceProfile: 'us-federal',
    onContact: () => {
      dirtyRead++;
    },
  });
  const dirtySeconds = (now() - t) / 1000;
  const dirtyCpu = process.cpuUsage(dirtyCpuBefore);
  const dirtyCpuSeconds = (dirtyCpu.user + dirtyCpu.system) / 1e6;
  if (dirtyRead !== dirtyReport.imported || dirtyReport.rowsRead !== ROWS || dirtyReport.imported + dirtyReport.rejected.length !== ROWS)
    throw new Error('dirty import: rows read ≠ imported + rejected');
  if (dirtyReport.format.encoding?.encoding !== 'windows-1252' || dirtyReport.format.delimiter !== ';')
    throw new Error(`dirty import: read as ${JSON.stringify(dirtyReport.format)}`);
  dirty.length = 0;

  const xlsx = await generateXlsx(XLSX_ROWS);
  let xlsxImported = 0;
  t = now();
  const { report: xlsxReport } = await importContacts([xlsx], {
    mapping: {
      id: 'customer_id',
      firstName: 'first_name',
      lastName: 'last_name',
      phones: ['phone'],
      postalCode: 'zip',
      profile: { tenureMonths: { column: 'tenure_months', type: 'number' } },
    },
    defaultCountry: 'US',
    listId: 'xlsx',
    onContact: () => {
      xlsxImported++;
    },
  });
  const xlsxSeconds = (now() - t) / 1000;
  if (xlsxReport.rowsRead !== XLSX_ROWS || xlsxReport.format.format !== 'xlsx' || xlsxImported !== xlsxReport.imported)
    throw new Error('xlsx import: rows lost');

  console.log(`upload under load: ${UPLOAD_AGENTS} agents on trunk-sim in real time, ${UPLOAD_ROWS.toLocaleString('en')}-row upload …`);
  // The embedded store keeps every uploaded contact on the dialer's heap; Redis keeps them out of it.
  const upload = await uploadUnderLoad('memory');
  console.log('upload under load, Redis store …');
  const uploadRedis = await uploadUnderLoad('redis');

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
    dirtyImportSeconds: round(dirtySeconds, 3),
    dirtyImportCpuSeconds: round(dirtyCpuSeconds, 3),
    dirtyRowsRejected: dirtyReport.rejected.length,
    dirtyRejectedByReason: dirtyReport.rejectedByReason,
    xlsxRows: XLSX_ROWS,
    xlsxSeconds: round(xlsxSeconds, 3),
    xlsxRowsPerSecond: Math.round(XLSX_ROWS / xlsxSeconds),
    uploadRows: upload.rows,
    uploadAgents: upload.agents,
    uploadSeconds: upload.uploadSeconds,
    uploadImported: upload.imported,
    uploadLoopDelayP99Ms: upload.upload.loopDelayP99Ms,
    uploadLoopDelayMaxMs: upload.upload.loopDelayMaxMs,
    uploadSliceCpuMaxMs: upload.upload.sliceCpuMaxMs,
    uploadSliceCpuP99Ms: upload.upload.sliceCpuP99Ms,
    uploadConnectP99Ms: upload.upload.connectP99Ms,
    uploadRssGrowthMb: upload.rssGrowthMb,
    uploadRetainedHeapGrowthMb: upload.retainedHeapGrowthMb,
    uploadLoopDelayP99RatioToBaseline: round(upload.upload.loopDelayP99Ms / Math.max(upload.baseline.loopDelayP99Ms, 0.001), 2),
    uploadBaseline: upload.baseline,
    uploadWindow: upload.upload,
    uploadRedis: {
      seconds: uploadRedis.uploadSeconds,
      imported: uploadRedis.imported,
      loopDelayP99Ms: uploadRedis.upload.loopDelayP99Ms,
      loopDelayMaxMs: uploadRedis.upload.loopDelayMaxMs,
      sliceCpuMaxMs: uploadRedis.upload.sliceCpuMaxMs,
      sliceCpuP99Ms: uploadRedis.upload.sliceCpuP99Ms,
      connectP99Ms: uploadRedis.upload.connectP99Ms,
      rssGrowthMb: uploadRedis.rssGrowthMb,
      retainedHeapGrowthMb: uploadRedis.retainedHeapGrowthMb,
      baseline: uploadRedis.baseline,
    },
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
      [
        `dirty file (;, Windows-1252, quirks) seconds`,
        `${result.dirtyImportSeconds} (CPU ${result.dirtyImportCpuSeconds})`,
        `≤ ${round((5 * ROWS) / 1_000_000, 2)} per core`,
      ],
      ['  dirty: ratio to the clean file', round(dirtySeconds / importSeconds, 2), ''],
      [
        '  dirty: imported / rejected (bad-phone, unclosed-quote, dnc)',
        `${dirtyReport.imported.toLocaleString('en')} / ${dirtyReport.rejectedByReason['bad-phone'].toLocaleString('en')}, ${dirtyReport.rejectedByReason['unclosed-quote'].toLocaleString('en')}, ${dirtyReport.rejectedByReason.dnc.toLocaleString('en')}`,
        '',
      ],
      [`XLSX ${XLSX_ROWS.toLocaleString('en')} rows: rows per second`, result.xlsxRowsPerSecond.toLocaleString('en'), ''],
      [`upload under load: ${upload.rows.toLocaleString('en')} rows, ${upload.agents} agents, seconds`, upload.uploadSeconds, ''],
      [
        '  event-loop delay p99 / max ms (baseline)',
        `${upload.upload.loopDelayP99Ms} / ${upload.upload.loopDelayMaxMs} (${upload.baseline.loopDelayP99Ms} / ${upload.baseline.loopDelayMaxMs})`,
        'max ≤ 50',
      ],
      [
        '  longest CPU slice between 1 ms ticks, max / p99 ms (baseline)',
        `${upload.upload.sliceCpuMaxMs} / ${upload.upload.sliceCpuP99Ms} (${upload.baseline.sliceCpuMaxMs} / ${upload.baseline.sliceCpuP99Ms})`,
        'max ≤ ~20',
      ],
      ['  connect p99 ms (baseline)', `${upload.upload.connectP99Ms} (${upload.baseline.connectP99Ms})`, '≤ 10'],
      [
        '  RSS growth MB (live heap kept after a full GC: the stored contacts)',
        `${upload.rssGrowthMb} (${upload.retainedHeapGrowthMb ?? '?'})`,
        '≤ 300',
      ],
      ['upload under load, Redis store: seconds', uploadRedis.uploadSeconds, ''],
      [
        '  event-loop delay p99 / max ms (baseline)',
        `${uploadRedis.upload.loopDelayP99Ms} / ${uploadRedis.upload.loopDelayMaxMs} (${uploadRedis.baseline.loopDelayP99Ms} / ${uploadRedis.baseline.loopDelayMaxMs})`,
        'max ≤ 50',
      ],
      [
        '  longest CPU slice, max / p99 ms (baseline)',
        `${uploadRedis.upload.sliceCpuMaxMs} / ${uploadRedis.upload.sliceCpuP99Ms} (${uploadRedis.baseline.sliceCpuMaxMs} / ${uploadRedis.baseline.sliceCpuP99Ms})`,
        'max ≤ ~20',
      ],
      ['  connect p99 ms', uploadRedis.upload.connectP99Ms, '≤ 10'],
      ['  RSS growth MB (live heap kept)', `${uploadRedis.rssGrowthMb} (${uploadRedis.retainedHeapGrowthMb ?? '?'})`, '≤ 300'],
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
