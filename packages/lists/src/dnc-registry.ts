import type { RegistryCopyInfo } from '@paceline/compliance';
import { PacelineError } from '@paceline/core';
import { parse } from 'csv-parse';
import { pump } from './csv-pump';
import { normalisePhone } from './e164';
import { type PackedPhoneSet, PackedPhoneSetBuilder, type PackedPhoneSetOptions } from './packed-phone-set';
import { forEachDigitLine, forEachLine, type TextSource } from './text-source';

/** A line of a registry file that was not a number, and why. */
export interface RegistryLineProblem {
  readonly line: number;
  readonly reason: string;
}

/** What a loader read. */
export interface RegistryLoadReport {
  readonly linesRead: number;
  readonly numbersLoaded: number;
  /** Bad lines (at most the first 1,000 are kept). */
  readonly problems: readonly RegistryLineProblem[];
  readonly problemCount: number;
}

/**
 * One copy of a national do-not-call registry (US National DNC, UK TPS/CTPS, Canada DNCL …)
 * and the date its data is as of. `checkDial` refuses dials when the copy is older than the
 * profile allows (US 31 days, UK 28 days).
 */
export class DncRegistry implements RegistryCopyInfo {
  readonly kind: string;
  readonly name: string;
  readonly asOfMs: number;
  readonly numbers: PackedPhoneSet;

  constructor(options: { kind: string; name?: string; asOfMs: number; numbers: PackedPhoneSet }) {
    if (!Number.isFinite(options.asOfMs) || options.asOfMs < 0) {
      throw new PacelineError('E_INVALID_CONFIG', `registry.asOfMs: expected the epoch ms the copy is as of, got ${options.asOfMs}`);
    }
    this.kind = options.kind;
    this.name = options.name ?? options.kind;
    this.asOfMs = options.asOfMs;
    this.numbers = options.numbers;
  }

  /** Numbers held. */
  get size(): number {
    return this.numbers.size;
  }

  /** True when the registry holds `e164`. */
  has(e164: string): boolean {
    return this.numbers.has(e164);
  }

  /** True when the registry holds the key (E.164 digits as an integer). */
  hasKey(key: number): boolean {
    return this.numbers.hasKey(key);
  }

  /** A new copy with a change list applied and its own as-of date. */
  withChanges(adds: readonly number[], deletes: readonly number[], asOfMs: number): DncRegistry {
    return new DncRegistry({ kind: this.kind, name: this.name, asOfMs, numbers: this.numbers.withChanges(adds, deletes) });
  }
}

const MAX_PROBLEMS = 1000;

class Problems {
  readonly list: RegistryLineProblem[] = [];
  count = 0;
  add(line: number, reason: string): void {
    this.count++;
    if (this.list.length < MAX_PROBLEMS) this.list.push({ line, reason });
  }
}

/** Options every registry loader takes (and how to pack the numbers, see {@link PackedPhoneSetOptions}). */
export interface RegistryLoadOptions extends PackedPhoneSetOptions {
  /** When the copy's data is as of (the download date), epoch ms. */
  readonly asOfMs: number;
  readonly name?: string;
}

/**
 * Load the US National Do Not Call Registry full list: one 10-digit number per line
 * (area code + number). Lines that are not 10 digits are reported and skipped.
 */
export async function loadUsRegistry(
  source: TextSource,
  options: RegistryLoadOptions,
): Promise<{ registry: DncRegistry; report: RegistryLoadReport }> {
  const builder = new PackedPhoneSetBuilder(options);
  const problems = new Problems();
  const lines = await forEachDigitLine(source, (line) => {
    if (line.other || line.digits !== 10 || line.firstDigit < 2) {
      problems.add(line.lineNumber, 'expected a 10-digit US number (area code first)');
      return;
    }
    builder.add(10_000_000_000 + line.value);
  });
  const numbers = builder.build();
  return {
    registry: new DncRegistry({ kind: 'us-national', name: options.name ?? 'us-national', asOfMs: options.asOfMs, numbers }),
    report: { linesRead: lines, numbersLoaded: numbers.size, problems: problems.list, problemCount: problems.count },
  };
}

/** A parsed change list: keys to add and to delete. */
export interface ChangeList {
  readonly adds: number[];
  readonly deletes: number[];
  readonly report: RegistryLoadReport;
}

const ADD_FLAGS = new Set(['A', 'ADD', 'ADDED', 'ADDITION', '+', 'I', 'INSERT']);
const DELETE_FLAGS = new Set(['D', 'DEL', 'DELETE', 'DELETED', 'DELETION', '-', 'R', 'REMOVE']);

/**
 * Read a US registry change list: comma-delimited lines holding a 10-digit number (or area
 * code and 7-digit number as two fields) and an add/delete flag (`A`/`D`, `add`/`delete`).
 * When the FTC delivers adds and deletes as separate files, pass `mode` instead of flags.
 */
export async function readUsChangeList(source: TextSource, options: { mode?: 'add' | 'delete' } = {}): Promise<ChangeList> {
  const adds: number[] = [];
  const deletes: number[] = [];
  const problems = new Problems();
  const lines = await forEachLine(source, (text, lineNumber) => {
    if (text.trim() === '') return;
    const fields = text.split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
    let digits = '';
    let flag: 'add' | 'delete' | undefined = options.mode;
    for (const field of fields) {
      const upper = field.toUpperCase();
      if (/^[0-9()\-. ]+$/.test(field)) digits += field.replace(/[^0-9]/g, '');
      else if (ADD_FLAGS.has(upper)) flag = 'add';
      else if (DELETE_FLAGS.has(upper)) flag = 'delete';
      else if (field !== '' && !/^[A-Za-z_ ]+$/.test(field)) {
        problems.add(lineNumber, `unexpected field ${JSON.stringify(field.slice(0, 20))}`);
        return;
      }
    }
    if (digits.length === 0 && lineNumber === 1) return; // a header line
    if (digits.length !== 10 || digits[0] === '0' || digits[0] === '1') {
      problems.add(lineNumber, 'expected a 10-digit US number');
      return;
    }
    if (flag === undefined) {
      problems.add(lineNumber, 'no add/delete flag (expected A or D), and no mode given');
      return;
    }
    (flag === 'add' ? adds : deletes).push(10_000_000_000 + Number(digits));
  });
  return {
    adds,
    deletes,
    report: { linesRead: lines, numbersLoaded: adds.length + deletes.length, problems: problems.list, problemCount: problems.count },
  };
}

/**
 * Load a number file: one number per line, national (`01632 960123`, trunk prefix `0`) or
 * international (`441632960123`, `+44 1632 960123`). The UK TPS and CTPS files are this
 * shape (`kind: 'uk-tps'` / `'uk-ctps'`, `callingCode: 44`).
 */
export async function loadNumberFile(
  source: TextSource,
  options: RegistryLoadOptions & { kind: string; callingCode: number; trunkPrefix?: '0' | '' },
): Promise<{ registry: DncRegistry; report: RegistryLoadReport }> {
  const builder = new PackedPhoneSetBuilder(options);
  const problems = new Problems();
  const cc = String(options.callingCode);
  const ccValue = options.callingCode;
  const trunk = options.trunkPrefix ?? '0';
  const lines = await forEachDigitLine(source, (line) => {
    if (line.other) {
      problems.add(line.lineNumber, 'not a phone number');
      return;
    }
    let key: number;
    if (trunk === '0' && line.firstDigit === 0) {
      // National form: drop the trunk 0, put the calling code in front.
      key = ccValue * 10 ** (line.digits - 1) + line.value;
      if (line.digits - 1 + cc.length > 15 || line.digits < 7) {
        problems.add(line.lineNumber, 'not a national number');
        return;
      }
    } else if (String(line.value).startsWith(cc) && line.digits >= cc.length + 6 && line.digits <= 15) {
      key = line.value;
    } else {
      problems.add(line.lineNumber, `expected a national number with trunk prefix 0 or an international number starting ${cc}`);
      return;
    }
    builder.add(key);
  });
  const numbers = builder.build();
  return {
    registry: new DncRegistry({ kind: options.kind, name: options.name ?? options.kind, asOfMs: options.asOfMs, numbers }),
    report: { linesRead: lines, numbersLoaded: numbers.size, problems: problems.list, problemCount: problems.count },
  };
}

/**
 * Load a generic CSV registry: the numbers in column `column` (header name or 0-based index),
 * normalised with libphonenumber-js using `defaultCountry` for national numbers.
 */
export async function loadCsvRegistry(
  source: TextSource,
  options: RegistryLoadOptions & { kind: string; column: string | number; defaultCountry?: string; header?: boolean },
): Promise<{ registry: DncRegistry; report: RegistryLoadReport }> {
  const builder = new PackedPhoneSetBuilder(options);
  const problems = new Problems();
  const hasHeader = options.header ?? typeof options.column === 'string';
  let index = typeof options.column === 'number' ? options.column : -1;
  let rows = 0;
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, skip_records_with_error: true });
  parser.on('skip', (error: { lines?: number; message: string }) => problems.add(error.lines ?? 0, error.message));
  let headerSeen = !hasHeader;
  const done = new Promise<void>((resolve, reject) => {
    parser.on('data', (record: string[]) => {
      rows++;
      const line = (parser.info as { lines: number }).lines;
      if (!headerSeen) {
        headerSeen = true;
        if (index < 0) index = record.indexOf(String(options.column));
        if (index < 0) {
          reject(
            new PacelineError(
              'E_INVALID_CONFIG',
              `registry column ${JSON.stringify(options.column)} is not in the header (${record.join(', ')})`,
            ),
          );
        }
        return;
      }
      const raw = record[index];
      const phone = raw === undefined ? undefined : normalisePhone(raw, options.defaultCountry);
      if (!phone?.ok) {
        problems.add(line, `column ${options.column}: not a valid phone number`);
        return;
      }
      builder.add(Number(phone.e164.slice(1)));
    });
    parser.on('end', () => resolve());
    parser.on('error', reject);
  });
  await pump(source, parser);
  await done;
  const numbers = builder.build();
  return {
    registry: new DncRegistry({ kind: options.kind, name: options.name ?? options.kind, asOfMs: options.asOfMs, numbers }),
    report: { linesRead: rows, numbersLoaded: numbers.size, problems: problems.list, problemCount: problems.count },
  };
}
