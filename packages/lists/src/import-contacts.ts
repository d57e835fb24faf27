import { BUILTIN_PROFILES } from '@paceline/compliance';
import { type Contact, isValidTimeZone, PacelineError, type Phone } from '@paceline/core';
import { parse } from 'csv-parse';
import { ContactDeduper } from './contact-deduper';
import { pump } from './csv-pump';
import { keyOfNormalised, matchNanp, NANP_EXPLICIT, normalisePhone } from './e164';
import type { TextSource } from './text-source';
import { resolveTimeZones, type ZoneSource } from './time-zone-resolver';

/** A column by header name, or by 0-based index (files without a header). */
export type Column = string | number;

/** How an attribute's text becomes a profile value. */
export type AttributeType = 'string' | 'number' | 'boolean';

/** Which columns hold what. Only `phones` is required. */
export interface ColumnMapping {
  /** Phone columns, most preferred first (`priority` follows the order). */
  readonly phones: readonly (Column | { readonly column: Column; readonly type?: Phone['type'] })[];
  /** The contact id; default `<listId>-<row>`. */
  readonly id?: Column;
  /** The host's customer key (dedupe across lists uses it). */
  readonly key?: Column;
  readonly firstName?: Column;
  readonly lastName?: Column;
  readonly postalCode?: Column;
  /** State / province code (`FL`, `ON`). */
  readonly state?: Column;
  /** ISO country of the contact (also the default country for its numbers). */
  readonly country?: Column;
  /** Explicit IANA zones, `|`-separated; they win over resolution. */
  readonly timeZone?: Column;
  /** Integer priority: higher is called sooner. */
  readonly priority?: Column;
  /** Profile attributes for segmentation and scripting. */
  readonly profile?: Readonly<Record<string, Column | { readonly column: Column; readonly type: AttributeType }>>;
}

/** Why a row was rejected. */
export type RejectReason = 'bad-phone' | 'duplicate' | 'missing-field' | 'dnc' | 'invalid-value' | 'malformed-row';

/** One rejected row (or, in `warnings`, one value dropped from an imported row). */
export interface RowProblem {
  /** Data row, 1-based, header excluded. */
  readonly row: number;
  /** Physical line in the file where the record ends (1-based, header and blank lines included). */
  readonly line: number;
  /** The mapped field or column involved, when there is one. */
  readonly column?: string;
  readonly reason: RejectReason;
  /** What was wrong, in words. */
  readonly message: string;
}

/** What an import did. */
export interface ImportReport {
  readonly listId: string;
  /** Data rows read (blank lines excluded, malformed rows included). */
  rowsRead: number;
  imported: number;
  readonly rejected: RowProblem[];
  readonly rejectedByReason: Record<RejectReason, number>;
  /** Values dropped from rows that were still imported (a bad second phone, an unknown state code). */
  readonly warnings: RowProblem[];
  /** How imported contacts' zones were found. */
  readonly zoneSources: Record<ZoneSource, number>;
}

/** The question the import scrub asks; `DncBook` answers it. */
export interface ImportScrub {
  blocks(phone: string, key: number, campaignId: string | undefined): boolean;
  /**
   * Optional: look up a batch of phone keys ahead of `blocks` (the import calls it for each
   * batch of rows), so the cache misses of a big registry overlap instead of stalling one row
   * at a time. `DncBook` does.
   */
  prefetch?(keys: Float64Array): void;
}

/** Import options. A bad mapping is refused before any row is read. */
export interface ImportOptions {
  readonly mapping: ColumnMapping;
  /** Country for national numbers (`US`, `GB`), unless the row's country column says otherwise. */
  readonly defaultCountry?: string;
  /** Names the list in reports and default ids. Default `list`. */
  readonly listId?: string;
  readonly campaignId?: string;
  /** First record is a header (default true). Index columns need `header: false` or work either way. */
  readonly header?: boolean;
  readonly delimiter?: string;
  /** Mapped fields that must be non-empty: `firstName`, `postalCode`, `profile.tenureMonths` … */
  readonly required?: readonly string[];
  /** Do-not-call scrub (internal, campaign and registry lists). */
  readonly dnc?: ImportScrub;
  /** Share one per campaign to dedupe across its lists; default: dedupe within this list. */
  readonly deduper?: ContactDeduper;
  /** Zones for numbers whose zone is unknown; default: the compliance profile's, or none (checked at dial time). */
  readonly defaultTimeZones?: readonly string[];
  /** Compliance profile id whose conservative default zones apply to unknown numbers. */
  readonly complianceProfile?: string;
  /** Receive each contact instead of collecting them (lists of millions). */
  readonly onContact?: (contact: Contact, row: number) => void;
}

const EMPTY_COUNTS = (): Record<RejectReason, number> => ({
  'bad-phone': 0,
  duplicate: 0,
  'missing-field': 0,
  dnc: 0,
  'invalid-value': 0,
  'malformed-row': 0,
});

interface Resolved {
  phones: { index: number; name: string; type: Phone['type'] }[];
  fields: Partial<
    Record<
      'id' | 'key' | 'firstName' | 'lastName' | 'postalCode' | 'state' | 'country' | 'timeZone' | 'priority',
      { index: number; name: string }
    >
  >;
  profile: { attr: string; index: number; name: string; type: AttributeType }[];
  width: number;
}

const SCALAR_FIELDS = ['id', 'key', 'firstName', 'lastName', 'postalCode', 'state', 'country', 'timeZone', 'priority'] as const;
const PHONE_TYPES = new Set(['mobile', 'landline', 'work', 'other', 'unknown']);

function configError(path: string, message: string): PacelineError {
  return new PacelineError('E_INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
}

function resolveMapping(mapping: ColumnMapping, header: readonly string[] | undefined, required: readonly string[]): Resolved {
  const issues: string[] = [];
  const find = (column: Column, path: string): number => {
    if (typeof column === 'number') {
      if (!Number.isInteger(column) || column < 0) issues.push(`${path}: expected a 0-based column index, got ${column}`);
      return column;
    }
    if (!header) {
      issues.push(`${path}: column "${column}" by name needs a header row (set header: true or use an index)`);
      return -1;
    }
    const index = header.indexOf(column);
    if (index < 0) issues.push(`${path}: no column "${column}" in the header (${header.join(', ')})`);
    return index;
  };
  if (!Array.isArray(mapping.phones) || mapping.phones.length === 0) {
    throw configError('mapping.phones', 'expected at least one phone column');
  }
  const phones = mapping.phones.map((p, i) => {
    const column = typeof p === 'object' ? p.column : p;
    const type = typeof p === 'object' ? (p.type ?? 'unknown') : 'unknown';
    if (!PHONE_TYPES.has(type)) issues.push(`mapping.phones[${i}].type: expected mobile, landline, work, other or unknown, got "${type}"`);
    return { index: find(column, `mapping.phones[${i}]`), name: String(column), type };
  });
  const fields: Resolved['fields'] = {};
  for (const f of SCALAR_FIELDS) {
    const column = mapping[f];
    if (column !== undefined) fields[f] = { index: find(column, `mapping.${f}`), name: String(column) };
  }
  const profile = Object.entries(mapping.profile ?? {}).map(([attr, spec]) => {
    const column = typeof spec === 'object' ? spec.column : spec;
    const type = typeof spec === 'object' ? spec.type : 'string';
    if (type !== 'string' && type !== 'number' && type !== 'boolean')
      issues.push(`mapping.profile.${attr}.type: expected string, number or boolean`);
    return { attr, index: find(column, `mapping.profile.${attr}`), name: String(column), type };
  });
  for (const [i, r] of required.entries()) {
    const known = r.startsWith('profile.')
      ? profile.some((p) => `profile.${p.attr}` === r)
      : (fields as Record<string, unknown>)[r] !== undefined;
    if (!known) issues.push(`required[${i}]: "${r}" is not a mapped field`);
  }
  if (issues.length > 0) {
    throw new PacelineError('E_INVALID_CONFIG', `invalid column mapping: ${issues.join('; ')}`, {
      issues: issues.map((m) => ({ path: m.slice(0, m.indexOf(':')), message: m.slice(m.indexOf(':') + 2) })),
    });
  }
  const indices = [...phones.map((p) => p.index), ...Object.values(fields).map((f) => f.index), ...profile.map((p) => p.index)];
  return { phones, fields, profile, width: header?.length ?? Math.max(...indices) + 1 };
}

const zoneCheck = new Map<string, boolean>();
function validZone(zone: string): boolean {
  let ok = zoneCheck.get(zone);
  if (ok === undefined) {
    ok = isValidTimeZone(zone);
    if (zoneCheck.size < 10_000) zoneCheck.set(zone, ok);
  }
  return ok;
}

/** A cell, trimmed (most cells need no trimming, so check before allocating). */
function cellOf(record: readonly string[], index: number | undefined): string {
  if (index === undefined) return '';
  const v = record[index];
  if (v === undefined || v.length === 0) return '';
  return v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v;
}

/** A record of empty cells (`,,,`) is skipped like a blank line. */
function isBlank(record: readonly string[]): boolean {
  for (const v of record) if (v.length > 0 && v.trim() !== '') return false;
  return true;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/**
 * Stream a CSV list into contacts: map columns, normalise phones to E.164, resolve time
 * zones, dedupe (within the list, and across the campaign's lists with a shared deduper) and
 * scrub against do-not-call lists. A bad row is reported with its row, line, column and
 * reason and skipped; it never stops the import, and nothing invalid is imported.
 */
export async function importContacts(source: TextSource, options: ImportOptions): Promise<{ contacts: Contact[]; report: ImportReport }> {
  const listId = options.listId ?? 'list';
  const hasHeader = options.header ?? true;
  const required = options.required ?? [];
  const deduper = options.deduper ?? new ContactDeduper();
  const reusedListId = deduper.hasList(listId);
  const listIndex = deduper.beginList(listId);
  const defaultZones =
    options.defaultTimeZones ??
    (options.complianceProfile ? BUILTIN_PROFILES.find((p) => p.id === options.complianceProfile)?.defaultTimeZones : undefined) ??
    [];
  if (options.complianceProfile && !options.defaultTimeZones && !BUILTIN_PROFILES.some((p) => p.id === options.complianceProfile)) {
    throw configError('complianceProfile', `unknown profile "${options.complianceProfile}"; pass defaultTimeZones for a custom profile`);
  }
  const report: ImportReport = {
    listId,
    rowsRead: 0,
    imported: 0,
    rejected: [],
    rejectedByReason: EMPTY_COUNTS(),
    warnings: [],
    zoneSources: { explicit: 0, 'area-code': 0, 'postal-code': 0, state: 0, country: 0, default: 0 },
  };
  const contacts: Contact[] = [];
  const sink = options.onContact ?? ((c: Contact) => void contacts.push(c));
  let resolved: Resolved | undefined = hasHeader ? undefined : resolveMapping(options.mapping, undefined, required);
  const requiredSet = new Set(required);

  // Trimming and empty-record detection are done here on the cells used: csv-parse's own
  // `trim` and `skip_records_with_empty_values` cost more than the rest of the import.
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
  });
  const info = () => parser.info as { lines: number };

  const reject = (row: number, line: number, reason: RejectReason, message: string, column?: string) => {
    report.rejected.push({ row, line, reason, message, ...(column === undefined ? {} : { column }) });
    report.rejectedByReason[reason]++;
  };
  const warn = (row: number, line: number, reason: RejectReason, message: string, column: string) => {
    report.warnings.push({ row, line, reason, message, column });
  };

  const onRecord = (record: string[], line: number): void => {
    if (!resolved) {
      resolved = resolveMapping(
        options.mapping,
        record.map((h) => h.trim()),
        required,
      );
      return;
    }
    if (isBlank(record)) return;
    const m = resolved;
    const row = ++report.rowsRead;
    if (record.length !== m.width) {
      reject(row, line, 'malformed-row', `expected ${m.width} columns, got ${record.length}`);
      return;
    }
    const f = m.fields;
    for (const name of requiredSet) {
      const index = name.startsWith('profile.')
        ? m.profile.find((p) => `profile.${p.attr}` === name)?.index
        : f[name as keyof Resolved['fields']]?.index;
      if (cellOf(record, index) === '') {
        reject(row, line, 'missing-field', `${name} is required but empty`, name);
        return;
      }
    }
    const country = cellOf(record, f.country?.index).toUpperCase();
    const rowCountry = /^[A-Z]{2}$/.test(country) ? country : undefined;
    if (country !== '' && rowCountry === undefined)
      warn(row, line, 'invalid-value', `country "${country}" is not an ISO code; ignored`, 'country');
    const numberCountry = rowCountry ?? options.defaultCountry;

    // Phones: normalise, then drop duplicates and do-not-call numbers.
    const phones: Phone[] = [];
    const phoneKeys: number[] = [];
    let areaCode: number | undefined;
    let phoneCountry: string | undefined;
    let nationalNumber: string | undefined;
    let badPhone: string | undefined;
    let dup: string | undefined;
    let dnc: string | undefined;
    let present = 0;
    for (const p of m.phones) {
      const raw = cellOf(record, p.index);
      if (raw === '') continue;
      present++;
      const n = normalisePhone(raw, numberCountry);
      if (!n.ok) {
        badPhone ??= `${p.name}: ${n.reason === 'invalid' ? 'not a valid number' : 'not a phone number'} (${JSON.stringify(raw.slice(0, 24))})`;
        if (m.phones.length > 1)
          warn(row, line, 'bad-phone', `not a valid phone number (${JSON.stringify(raw.slice(0, 24))}); dropped`, p.name);
        continue;
      }
      const key = keyOfNormalised(n.e164);
      if (phoneKeys.includes(key)) continue;
      const seen = deduper.hasPhone(key) ? deduper.phoneSeen(key) : undefined;
      if (seen) {
        dup ??= `${p.name}: ${n.e164.slice(0, 5)}… already imported (${seen.listId === listId ? `row ${seen.row}` : `list ${seen.listId}, row ${seen.row}`})`;
        continue;
      }
      if (options.dnc?.blocks(n.e164, key, options.campaignId)) {
        dnc ??= `${p.name}: number is on a do-not-call list`;
        continue;
      }
      if (phones.length === 0) {
        areaCode = n.areaCode;
        phoneCountry = n.country;
        // Australian geographic numbers narrow the zone by their first national digit.
        nationalNumber = n.country === 'AU' ? n.e164.slice(3) : undefined;
      }
      phones.push({ number: n.e164, type: p.type, priority: phones.length });
      phoneKeys.push(key);
    }
    if (phones.length === 0) {
      if (present === 0) reject(row, line, 'missing-field', 'no phone number in any phone column', m.phones[0]?.name);
      else if (dnc !== undefined) reject(row, line, 'dnc', dnc, dnc.slice(0, dnc.indexOf(':')));
      else if (dup !== undefined) reject(row, line, 'duplicate', dup, dup.slice(0, dup.indexOf(':')));
      else reject(row, line, 'bad-phone', badPhone ?? 'no valid phone', badPhone?.slice(0, badPhone.indexOf(':')));
      return;
    }

    const key = f.key ? cellOf(record, f.key.index) : '';
    if (key !== '' && deduper.hasKey(key)) {
      const seen = deduper.keySeen(key);
      if (seen) {
        reject(
          row,
          line,
          'duplicate',
          `key "${key}" already imported (${seen.listId === listId ? `row ${seen.row}` : `list ${seen.listId}, row ${seen.row}`})`,
          'key',
        );
        return;
      }
    }
    let id = f.id ? cellOf(record, f.id.index) : `${listId}-${row}`;
    if (id === '' || id.length > 128) {
      if (f.id) {
        reject(
          row,
          line,
          id === '' ? 'missing-field' : 'invalid-value',
          id === '' ? 'id is empty' : 'id is longer than 128 characters',
          'id',
        );
        return;
      }
      id = `${listId}-${row}`;
    }
    // Generated ids are unique unless the same listId is imported twice into one deduper.
    if ((f.id !== undefined || reusedListId) && deduper.hasId(id)) {
      reject(row, line, 'duplicate', `id "${id}" already imported`, 'id');
      return;
    }

    const contact: Record<string, unknown> = { id, phones, profile: {}, consents: [], priority: 0 };
    if (key !== '') contact.key = key;
    const firstName = cellOf(record, f.firstName?.index);
    if (firstName !== '') contact.firstName = firstName;
    const lastName = cellOf(record, f.lastName?.index);
    if (lastName !== '') contact.lastName = lastName;
    const postalCode = cellOf(record, f.postalCode?.index);
    if (postalCode !== '') contact.postalCode = postalCode;
    let state: string | undefined = cellOf(record, f.state?.index).toUpperCase();
    if (state === '') state = undefined;
    else if (!/^[A-Z]{2,3}$/.test(state)) {
      warn(row, line, 'invalid-value', `state "${state}" is not a region code such as FL; ignored`, 'state');
      state = undefined;
    } else contact.state = state;
    if (rowCountry) contact.country = rowCountry;
    const priorityText = cellOf(record, f.priority?.index);
    if (priorityText !== '') {
      const priority = Number(priorityText);
      if (!Number.isInteger(priority)) {
        reject(row, line, 'invalid-value', `priority "${priorityText}" is not an integer`, 'priority');
        return;
      }
      contact.priority = priority;
    }
    const profile = contact.profile as Record<string, string | number | boolean | null>;
    for (const a of m.profile) {
      const text = cellOf(record, a.index);
      if (text === '') continue;
      if (a.type === 'number') {
        const value = Number(text.includes(',') ? text.replace(/,/g, '') : text);
        if (!Number.isFinite(value)) {
          reject(row, line, 'invalid-value', `profile.${a.attr}: "${text.slice(0, 24)}" is not a number`, a.name);
          return;
        }
        profile[a.attr] = value;
      } else if (a.type === 'boolean') {
        const lower = text.toLowerCase();
        if (!TRUE.has(lower) && !FALSE.has(lower)) {
          reject(row, line, 'invalid-value', `profile.${a.attr}: "${text.slice(0, 24)}" is not true/false`, a.name);
          return;
        }
        profile[a.attr] = TRUE.has(lower);
      } else profile[a.attr] = text;
    }

    // Time zones: explicit column, else number + postal code + state.
    const explicit = cellOf(record, f.timeZone?.index);
    let zones: readonly string[] | undefined;
    if (explicit !== '') {
      const list = explicit
        .split(/[|;]/)
        .map((z) => z.trim())
        .filter((z) => z !== '');
      if (list.every(validZone)) {
        zones = list;
        report.zoneSources.explicit++;
      } else
        warn(
          row,
          line,
          'invalid-value',
          `time zone "${explicit.slice(0, 40)}" is not an IANA zone; resolved from the number instead`,
          f.timeZone?.name ?? 'timeZone',
        );
    }
    if (!zones) {
      const resolution = resolveTimeZones(
        { country: phoneCountry, areaCode, nationalNumber, postalCode: postalCode === '' ? undefined : postalCode, state },
        defaultZones,
      );
      report.zoneSources[resolution.source]++;
      zones = resolution.zones;
    }
    if (zones.length > 0) contact.timeZones = zones;

    deduper.remember(listIndex, row, phoneKeys, key === '' ? undefined : key, f.id !== undefined || reusedListId ? id : undefined);
    report.imported++;
    sink(contact as unknown as Contact, row);
  };

  // Rows are handled in batches: first the phone keys (of NANP numbers, the common case) and
  // ids of the whole batch are looked up in the dedupe tables and registries, in loops whose
  // cache misses overlap; then the rows are handled one by one, in order, as if there were no
  // batch, and find that memory in cache. A skipped record flushes the batch first.
  const BATCH = 64;
  const batch: string[][] = [];
  const batchLines: number[] = [];
  let aheadKeys = new Float64Array(0);
  const aheadIds: string[] = [];
  const prefetch = (): void => {
    const m = resolved;
    if (!m) return;
    if (aheadKeys.length < BATCH * m.phones.length) aheadKeys = new Float64Array(BATCH * m.phones.length);
    const idIndex = m.fields.id?.index;
    let keys = 0;
    aheadIds.length = 0;
    for (const record of batch) {
      if (record.length !== m.width) continue;
      for (const p of m.phones) {
        const nanp = matchNanp(record[p.index] as string);
        if (nanp >= 0) aheadKeys[keys++] = 10_000_000_000 + (nanp % NANP_EXPLICIT);
      }
      if (idIndex !== undefined) aheadIds.push(cellOf(record, idIndex));
    }
    const ahead = aheadKeys.subarray(0, keys);
    deduper.prefetch(ahead, aheadIds);
    options.dnc?.prefetch?.(ahead);
  };
  const flush = (): void => {
    prefetch();
    try {
      for (let i = 0; i < batch.length; i++) onRecord(batch[i] as string[], batchLines[i] as number);
    } finally {
      batch.length = 0;
      batchLines.length = 0;
    }
  };

  let failed = false;
  const finished = new Promise<void>((resolve, reject_) => {
    // A throw (a bug, or the host's onContact) stops the import: no row is handled after it.
    const guarded = (handle: () => void) => {
      if (failed) return;
      try {
        handle();
      } catch (error) {
        failed = true;
        parser.destroy(error as Error);
        reject_(error);
      }
    };
    parser.on('data', (record: string[]) => {
      if (failed) return;
      batch.push(record);
      batchLines.push(info().lines);
      if (batch.length === BATCH) guarded(flush);
    });
    parser.on('skip', (error: { message: string; lines?: number }) =>
      guarded(() => {
        flush();
        if (!resolved) return;
        const row = ++report.rowsRead;
        reject(row, error.lines ?? info().lines, 'malformed-row', `unreadable CSV: ${error.message}`);
      }),
    );
    parser.on('end', () => {
      guarded(flush);
      resolve();
    });
    parser.on('error', reject_);
  });
  await Promise.all([pump(source, parser), finished]);
  return { contacts, report };
}
