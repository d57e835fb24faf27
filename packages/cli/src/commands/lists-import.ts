// The CLI's one use of @paceline/lists (its API is still settling: keep every call here).
import { closeSync, createReadStream, openSync, statSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { type Contact, PacelineError } from '@paceline/core';
import type { ListImportSummary, ListUpload } from '@paceline/dashboard';
import {
  type ColumnMapping,
  csvLine,
  DncBook,
  type ImportReport,
  importContacts,
  type ListEncoding,
  loadCsvRegistry,
  loadNumberFile,
  loadUsRegistry,
  type RowProblem,
} from '@paceline/lists';
import { CliError } from '../cli-error';
import { kvTable, type Output, startProgress } from '../output';
import { readJson, readText } from '../read-input';

const SCALAR = new Set(['id', 'key', 'firstName', 'lastName', 'postalCode', 'state', 'country', 'timeZone', 'priority']);

/** `#3` is the column at 0-based index 3 (to pick one of two columns with the same name); anything else a header name. */
function columnOf(text: string): string | number {
  return /^#\d+$/.test(text) ? Number(text.slice(1)) : text;
}

/**
 * Parse `--map` values into a column mapping. Each value is `field=Column[,field=Column…]`;
 * `phones=Mobile|Home` lists phone columns in order; `profile.tenure=Tenure:number` maps an
 * attribute with its type; `#3` names a column by its 0-based index; `@mapping.json` reads a
 * `ColumnMapping` JSON file.
 */
export function parseMapping(values: readonly string[]): ColumnMapping {
  const phones: (string | number)[] = [];
  const fields: Record<string, string | number> = {};
  const profile: Record<string, string | number | { column: string | number; type: 'string' | 'number' | 'boolean' }> = {};
  let fromFile: ColumnMapping | undefined;
  for (const value of values) {
    if (value.startsWith('@')) {
      fromFile = readJson(value.slice(1), 'mapping') as ColumnMapping;
      continue;
    }
    for (const pair of value.split(',')) {
      const eq = pair.indexOf('=');
      const field = pair.slice(0, eq).trim();
      const column = pair.slice(eq + 1).trim();
      if (eq <= 0 || column === '') throw new CliError(`--map: expected field=Column, got "${pair}"`, 2);
      if (field === 'phones' || field === 'phone') phones.push(...column.split('|').map((c) => columnOf(c.trim())));
      else if (field.startsWith('profile.')) {
        const [col = '', type] = column.split(':');
        if (type !== undefined && type !== 'string' && type !== 'number' && type !== 'boolean')
          throw new CliError(`--map: ${field}: expected a type of string, number or boolean, got "${type}"`, 2);
        profile[field.slice(8)] = type ? { column: columnOf(col), type } : columnOf(col);
      } else if (SCALAR.has(field)) fields[field] = columnOf(column);
      else throw new CliError(`--map: unknown field "${field}"; expected phones, ${[...SCALAR].join(', ')} or profile.<name>`, 2);
    }
  }
  if (fromFile && phones.length === 0 && Object.keys(fields).length === 0) return fromFile;
  if (phones.length === 0 && !fromFile) throw new CliError('--map: expected at least one phone column (phones=Column)', 2);
  return {
    ...(fromFile ?? {}),
    ...fields,
    phones: phones.length > 0 ? phones : (fromFile?.phones ?? []),
    ...(Object.keys(profile).length > 0 ? { profile } : {}),
  } as ColumnMapping;
}

/** Load do-not-call registry files into one book: US/CA 10-digit files, UK TPS-style files, else one number per line. */
export async function loadDncBook(files: readonly string[], country: string, asOfMs: number): Promise<DncBook> {
  const book = new DncBook();
  for (const file of files) {
    const text = readText(file, 'DNC registry');
    const name = basename(file);
    const { registry } =
      country === 'US' || country === 'CA'
        ? await loadUsRegistry(text, { asOfMs, name })
        : country === 'GB'
          ? await loadNumberFile(text, { asOfMs, name, kind: 'uk-tps', callingCode: 44 })
          : await loadCsvRegistry(text, { asOfMs, name, kind: 'file', column: 0, header: false, defaultCountry: country });
    book.setRegistry(registry);
  }
  return book;
}

/** Options of `paceline lists import`. */
export interface ListsImportOptions {
  readonly map: readonly string[];
  readonly country: string;
  readonly dnc: readonly string[];
  readonly out: string;
  readonly rejects: string;
  readonly json: boolean;
  /** When the DNC copies are as of, epoch ms. */
  readonly asOfMs: number;
  /** CSV delimiter; default detected. */
  readonly delimiter?: string;
  /** CSV encoding; default detected. */
  readonly encoding?: ListEncoding;
  /** XLSX sheet; default the first. */
  readonly sheet?: string;
}

/** How many warnings the table output lists (all are in `--json`). */
const WARNINGS_SHOWN = 20;

function problemLine(p: RowProblem): string {
  return `  row ${p.row} (line ${p.line})${p.column === undefined ? '' : ` ${p.column}`}: ${p.message}`;
}

/** Map import failures (a bad mapping, a missing column) to one CLI line. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PacelineError) throw new CliError(`lists import: ${error.message}`);
    throw error;
  }
}

/**
 * `paceline lists import <file>` (CSV in any delimiter and encoding, or XLSX): stream the
 * file through import (normalise to E.164, dedupe, resolve zones, scrub DNC), write the clean
 * contacts (JSON lines, as they come) and a rejects CSV with the reason of every rejected row
 * (formula-like cells neutralised). Prints how the file was read and the warnings.
 */
export async function listsImport(file: string, options: ListsImportOptions, out: Output): Promise<ImportReport> {
  const mapping = parseMapping(options.map);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    readText(file, 'list'); // throws the one-line error (no such file, permission denied …)
    size = 0;
  }
  const book = options.dnc.length > 0 ? await loadDncBook(options.dnc, options.country, options.asOfMs) : undefined;
  const progress = options.json ? { update() {}, stop() {} } : startProgress(out, 'importing', Math.max(1, Math.round(size / 1024)), 'kB');
  let read = 0;
  async function* chunks(): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(file)) {
      read += (chunk as Buffer).length;
      progress.update(read / 1024);
      yield chunk as Buffer;
    }
  }
  const clean = openSync(options.out, 'w');
  let report: ImportReport;
  try {
    ({ report } = await guarded(() =>
      importContacts(chunks(), {
        mapping,
        defaultCountry: options.country,
        listId: basename(file).replace(/\.[^.]+$/, ''),
        ...(book ? { dnc: book } : {}),
        ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
        ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
        ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
        onContacts: (contacts: Contact[]) => {
          if (contacts.length > 0) writeSync(clean, `${contacts.map((c) => JSON.stringify(c)).join('\n')}\n`);
        },
      }),
    ));
  } finally {
    closeSync(clean);
    progress.stop();
  }
  const rejects = openSync(options.rejects, 'w');
  try {
    writeSync(rejects, 'row,line,column,reason,message\n');
    for (let i = 0; i < report.rejected.length; i += 1000) {
      const part = report.rejected.slice(i, i + 1000);
      writeSync(rejects, `${part.map((r) => csvLine([r.row, r.line, r.column, r.reason, r.message])).join('\n')}\n`);
    }
  } finally {
    closeSync(rejects);
  }
  if (options.json) {
    out.stdout.write(
      `${JSON.stringify({ ...report, rejected: report.rejected.length, out: options.out, rejects: options.rejects }, null, 2)}\n`,
    );
  } else {
    const reasons = Object.entries(report.rejectedByReason).filter(([, n]) => n > 0);
    const format = report.format;
    const readAs =
      format.format === 'xlsx'
        ? `XLSX, sheet ${format.sheet === undefined ? '1' : JSON.stringify(format.sheet)}`
        : `CSV, ${format.encoding?.encoding ?? 'utf-8'}${format.encoding?.bom ? ' with BOM' : ''}${
            format.encoding?.fallbackAt === undefined ? '' : ` (Windows-1252 from byte ${format.encoding.fallbackAt})`
          }, delimiter ${format.delimiter === '\t' ? 'tab' : JSON.stringify(format.delimiter)}`;
    const warnings = report.warnings.slice(0, WARNINGS_SHOWN).map(problemLine);
    if (report.warnings.length > WARNINGS_SHOWN)
      warnings.push(`  … and ${report.warnings.length - WARNINGS_SHOWN} more (--json lists them all)`);
    const quotes = report.rejected
      .filter((r) => r.reason === 'unclosed-quote')
      .slice(0, WARNINGS_SHOWN)
      .map(problemLine);
    out.stdout.write(
      `${kvTable([
        ['read as', readAs],
        ['rows read', String(report.rowsRead)],
        ['imported', String(report.imported)],
        ['rejected', String(report.rejected.length)],
        ...reasons.map(([reason, n]) => [`  ${reason}`, String(n)] as [string, string]),
        ['warnings', String(report.warnings.length)],
      ])}\n${quotes.length > 0 ? `\nUnclosed quotes (the rows after each were read again):\n${quotes.join('\n')}\n` : ''}${
        warnings.length > 0 ? `\nWarnings (the rows were imported without these values):\n${warnings.join('\n')}\n` : ''
      }\nClean list: ${options.out}\nRejects:    ${options.rejects}\n`,
    );
  }
  return report;
}

/**
 * A list importer for the dashboard's upload form: the file (CSV or XLSX, streamed) is
 * imported with the mapping the manager chose on the preview (or `mapping`), scrubbed against
 * `dnc` when given, and its contacts handed to the dialer in batches as they are read.
 */
export function csvListImporter(
  dialer: {
    addContacts(
      campaignId: string,
      inputs: Iterable<unknown> | AsyncIterable<unknown>,
      options?: { handOver?: boolean }, // issue-18 (18-gc2): the importer's fresh contacts are handed over, not copied
    ): Promise<{ added: number; rejected: unknown[] }>;
  },
  options: { mapping: ColumnMapping; country: string; dnc?: DncBook },
): (upload: ListUpload) => Promise<ListImportSummary> {
  return async (upload) => {
    let added = 0;
    let refused = 0;
    const { report } = await importContacts(upload.source, {
      mapping: (upload.mapping as ColumnMapping | undefined) ?? options.mapping,
      defaultCountry: options.country,
      listId: upload.fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '-') || 'upload',
      campaignId: upload.campaignId,
      ...(options.dnc ? { dnc: options.dnc } : {}),
      ...(upload.delimiter === undefined ? {} : { delimiter: upload.delimiter }),
      ...(upload.sheet === undefined ? {} : { sheet: upload.sheet }),
      onContacts: async (contacts) => {
        const result = await dialer.addContacts(upload.campaignId, contacts, { handOver: true }); // issue-18 (18-gc2)
        added += result.added;
        refused += result.rejected.length;
      },
    });
    return {
      rowsRead: report.rowsRead,
      imported: added,
      rejected: report.rejected.length + refused,
      rejectedByReason: report.rejectedByReason,
      readAs: report.format,
      sample: report.rejected.slice(0, 100).map((r) => ({ row: r.row, line: r.line, reason: r.reason, message: r.message })),
      warnings: report.warnings.slice(0, 100).map((r) => ({ row: r.row, line: r.line, reason: r.reason, message: r.message })),
    };
  };
}
