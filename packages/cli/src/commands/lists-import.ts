// The CLI's one use of @paceline/lists (its API is still settling: keep every call here).
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Contact, PacelineError } from '@paceline/core';
import type { ListImportSummary } from '@paceline/dashboard';
import {
  type ColumnMapping,
  DncBook,
  type ImportReport,
  importContacts,
  loadCsvRegistry,
  loadNumberFile,
  loadUsRegistry,
} from '@paceline/lists';
import { CliError } from '../cli-error';
import { kvTable, type Output, startProgress } from '../output';
import { readJson, readText } from '../read-input';

const SCALAR = new Set(['id', 'key', 'firstName', 'lastName', 'postalCode', 'state', 'country', 'timeZone', 'priority']);

/**
 * Parse `--map` values into a column mapping. Each value is `field=Column[,field=Column…]`;
 * `phones=Mobile|Home` lists phone columns in order; `profile.tenure=Tenure:number` maps an
 * attribute with its type; `@mapping.json` reads a `ColumnMapping` JSON file.
 */
export function parseMapping(values: readonly string[]): ColumnMapping {
  const phones: string[] = [];
  const fields: Record<string, string> = {};
  const profile: Record<string, string | { column: string; type: 'string' | 'number' | 'boolean' }> = {};
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
      if (field === 'phones' || field === 'phone') phones.push(...column.split('|').map((c) => c.trim()));
      else if (field.startsWith('profile.')) {
        const [col = '', type] = column.split(':');
        if (type !== undefined && type !== 'string' && type !== 'number' && type !== 'boolean')
          throw new CliError(`--map: ${field}: expected a type of string, number or boolean, got "${type}"`, 2);
        profile[field.slice(8)] = type ? { column: col, type } : col;
      } else if (SCALAR.has(field)) fields[field] = column;
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
}

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

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
 * `paceline lists import <file.csv>`: stream the file through import (normalise to E.164,
 * dedupe, resolve zones, scrub DNC), write the clean contacts (JSON lines) and a rejects CSV
 * with the reason of every rejected row.
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
  const contacts: Contact[] = [];
  const { report } = await guarded(() =>
    importContacts(chunks(), {
      mapping,
      defaultCountry: options.country,
      listId: basename(file).replace(/\.[^.]+$/, ''),
      ...(book ? { dnc: book } : {}),
      onContact: (contact) => contacts.push(contact),
    }),
  );
  progress.stop();
  writeFileSync(options.out, contacts.map((c) => JSON.stringify(c)).join('\n') + (contacts.length > 0 ? '\n' : ''));
  const rejectLines = [
    'row,line,column,reason,message',
    ...report.rejected.map((r) => [r.row, r.line, r.column, r.reason, r.message].map(csvCell).join(',')),
  ];
  writeFileSync(options.rejects, `${rejectLines.join('\n')}\n`);
  if (options.json) {
    out.stdout.write(
      `${JSON.stringify({ ...report, rejected: report.rejected.length, out: options.out, rejects: options.rejects }, null, 2)}\n`,
    );
  } else {
    const reasons = Object.entries(report.rejectedByReason).filter(([, n]) => n > 0);
    out.stdout.write(
      `${kvTable([
        ['rows read', String(report.rowsRead)],
        ['imported', String(report.imported)],
        ['rejected', String(report.rejected.length)],
        ...reasons.map(([reason, n]) => [`  ${reason}`, String(n)] as [string, string]),
        ['warnings', String(report.warnings.length)],
      ])}\n\nClean list: ${options.out}\nRejects:    ${options.rejects}\n`,
    );
  }
  return report;
}

/**
 * A list importer for the dashboard's upload form: the CSV is imported with `mapping`
 * (scrubbed against `dnc` when given) and the contacts added to the campaign.
 */
export function csvListImporter(
  dialer: { addContacts(campaignId: string, inputs: readonly unknown[]): Promise<{ added: number; rejected: unknown[] }> },
  options: { mapping: ColumnMapping; country: string; dnc?: DncBook },
): (campaignId: string, csv: string, fileName: string) => Promise<ListImportSummary> {
  return async (campaignId, csv, fileName) => {
    const { contacts, report } = await importContacts(csv, {
      mapping: options.mapping,
      defaultCountry: options.country,
      listId: fileName.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '-') || 'upload',
      campaignId,
      ...(options.dnc ? { dnc: options.dnc } : {}),
    });
    const added = await dialer.addContacts(campaignId, contacts);
    return {
      rowsRead: report.rowsRead,
      imported: added.added,
      rejected: report.rejected.length + added.rejected.length,
      rejectedByReason: report.rejectedByReason,
      sample: report.rejected.slice(0, 20).map((r) => ({ row: r.row, reason: r.reason, message: r.message })),
    };
  };
}
