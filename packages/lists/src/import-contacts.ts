import { BUILTIN_PROFILES } from '@paceline/compliance';
import { type Contact, isValidTimeZone, PacelineError, type Phone } from '@paceline/core';
import { type ColumnMapping, configError, type ResolvedMapping, resolveMapping } from './column-mapping';
import { ContactDeduper } from './contact-deduper';
import { fits, type UnclosedQuote } from './csv-records';
import { keyOfNormalised, matchNanp, NANP_EXPLICIT } from './e164';
import { type ListFormat, type ListItem, listItems } from './list-records';
import { parsePhoneCell, phoneCellMessage } from './phone-cell';
import type { ListEncoding } from './text-decoding';
import type { TextSource } from './text-source';
import { resolveTimeZones, type ZoneSource } from './time-zone-resolver';
import { SheetNotFound } from './xlsx-rows';

/** Why a row was rejected. */
export type RejectReason = 'bad-phone' | 'duplicate' | 'missing-field' | 'dnc' | 'invalid-value' | 'malformed-row' | 'unclosed-quote';

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
  /** How the file was read: CSV (with its encoding and delimiter) or XLSX (with its sheet). */
  format: ListFormat;
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
  /** `csv` or `xlsx`; default: XLSX when the bytes are a zip archive, else CSV. */
  readonly format?: 'csv' | 'xlsx';
  /** CSV delimiter; default detected among `,` `;` tab `|`. */
  readonly delimiter?: string;
  /** CSV encoding; default detected (byte-order mark, UTF-16 pattern, UTF-8, else Windows-1252). */
  readonly encoding?: ListEncoding;
  /** XLSX: the worksheet to read, by name; default the first. */
  readonly sheet?: string;
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
  /**
   * Receive the contacts in batches instead of collecting them; awaited before the next batch is
   * read (back-pressure: hand them to `dialer.addContacts` here).
   */
  readonly onContacts?: (contacts: Contact[]) => void | Promise<void>;
  /**
   * Give the event loop a turn between batches of rows (default: `setImmediate`), so an upload
   * never stalls timers, sockets or the pacer. A simulation on virtual time passes its own.
   */
  readonly yieldControl?: () => Promise<void>;
  /**
   * Milliseconds of work after which a batch is cut short: the contacts so far go to
   * `onContacts` and the event loop gets a turn (default {@link IMPORT_SLICE_MS}). Measured
   * with `now`.
   */
  readonly sliceMs?: number;
  /**
   * Monotonic milliseconds for `sliceMs`; default `performance.now` with the default
   * `yieldControl`, and none (batches cut by size only, so a seeded simulation replays
   * exactly) when the host passes its own `yieldControl`. Never changes what is imported.
   */
  readonly now?: () => number;
}

/** The default {@link ImportOptions.sliceMs}: well under the 50 ms an upload may hold the dialer's event loop. */
export const IMPORT_SLICE_MS = 8;

const EMPTY_COUNTS = (): Record<RejectReason, number> => ({
  'bad-phone': 0,
  duplicate: 0,
  'missing-field': 0,
  dnc: 0,
  'invalid-value': 0,
  'malformed-row': 0,
  'unclosed-quote': 0,
});

/** The default {@link ImportOptions.yieldControl}: a macrotask turn. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
    if (immediate) immediate(resolve);
    else resolve();
  });

/** The default {@link ImportOptions.now}, with the default `yieldControl`. */
// biome-ignore lint/plugin: a CPU budget for cutting batches (paired with the setImmediate turn above), not time the import's results depend on.
const sliceClock = (): number => performance.now();

const zoneCheck = new Map<string, boolean>();
function validZone(zone: string): boolean {
  let ok = zoneCheck.get(zone);
  if (ok === undefined) {
    ok = isValidTimeZone(zone);
    if (zoneCheck.size < 10_000) zoneCheck.set(zone, ok);
  }
  return ok;
}

/** Frozen one-zone lists by zone text (bounded: a file's zone cells are few distinct texts). */
const oneZoneLists = new Map<string, readonly string[]>();
/** `[zone]`, shared by every row with that zone cell; the zone text is a copy of its own, not a slice of the file's text. */
function oneZone(zone: string): readonly string[] {
  let list = oneZoneLists.get(zone);
  if (list === undefined) {
    list = Object.freeze([` ${zone}`.slice(1)]);
    if (oneZoneLists.size < 1_000) oneZoneLists.set(list[0] as string, list);
  }
  return list;
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
    format: { format: options.format ?? 'csv' },
  };
  const contacts: Contact[] = [];
  let resolved: ResolvedMapping | undefined = hasHeader ? undefined : resolveMapping(options.mapping, undefined, required);
  const requiredSet = new Set(required);
  let headerSeen = !hasHeader;
  const pending: Contact[] = [];
  const sink = options.onContact ?? (options.onContacts ? (c: Contact) => void pending.push(c) : (c: Contact) => void contacts.push(c));

  const reject = (row: number, line: number, reason: RejectReason, message: string, column?: string) => {
    report.rejected.push({ row, line, reason, message, ...(column === undefined ? {} : { column }) });
    report.rejectedByReason[reason]++;
  };
  const warn = (row: number, line: number, reason: RejectReason, message: string, column: string) => {
    report.warnings.push({ row, line, reason, message, column });
  };

  const onUnclosed = (problem: UnclosedQuote): void => {
    if (!resolved) return;
    const row = ++report.rowsRead;
    const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
    const took =
      problem.kind === 'end-of-file' && problem.swallowed === 0
        ? 'never closes (the file ends on that line)'
        : problem.kind === 'end-of-file'
          ? `never closes: it takes the ${lines(problem.swallowed)} after it, to the end of the file, into one cell`
          : problem.kind === 'limit'
            ? `is still open ${lines(problem.swallowed)} further on`
            : `closes only on a later row: it takes the ${lines(problem.swallowed)} after it into one cell`;
    reject(
      row,
      problem.line,
      'unclosed-quote',
      `a quote opened on line ${problem.line} ${took}; this row is rejected and reading resumes at line ${problem.line + 1} (close or remove the quote)`,
    );
  };

  const phoneKeys: number[] = [];
  const extensionKeys: string[] = [];
  const onRecord = (record: string[], line: number): void => {
    if (!headerSeen) {
      if (isBlank(record)) return;
      headerSeen = true;
      resolved = resolveMapping(options.mapping, record, required);
      return;
    }
    if (isBlank(record)) return;
    const m = resolved as ResolvedMapping;
    const row = ++report.rowsRead;
    if (!fits(record, m.width)) {
      reject(row, line, 'malformed-row', `expected ${m.width} columns, got ${record.length}`);
      return;
    }
    const f = m.fields;
    for (const name of requiredSet) {
      const index = name.startsWith('profile.')
        ? m.profile.find((p) => `profile.${p.attr}` === name)?.index
        : f[name as keyof ResolvedMapping['fields']]?.index;
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
    // Scratch, consumed by `deduper.remember` below: one pair of arrays for the whole import.
    phoneKeys.length = 0;
    extensionKeys.length = 0;
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
      const n = parsePhoneCell(raw, numberCountry);
      if (!n.ok) {
        const message = phoneCellMessage(p.name, raw, n.reason);
        badPhone ??= message;
        if (m.phones.length > 1) warn(row, line, 'bad-phone', `${message.slice(p.name.length + 2)}; dropped`, p.name);
        continue;
      }
      const key = keyOfNormalised(n.e164);
      const extension = n.extension;
      // An extension is another person behind the same switchboard: it is part of the dedupe key.
      const extensionKey = extension === undefined ? undefined : `${key}x${extension}`;
      if (extensionKey === undefined ? phoneKeys.includes(key) : extensionKeys.includes(extensionKey)) continue;
      const seen =
        extensionKey === undefined ? (deduper.hasPhone(key) ? deduper.phoneSeen(key) : undefined) : deduper.extensionSeen(extensionKey);
      if (seen) {
        const shown = `${n.e164.slice(0, 5)}…${extension === undefined ? '' : ` ext. ${extension}`}`;
        dup ??= `${p.name}: ${shown} already imported (${seen.listId === listId ? `row ${seen.row}` : `list ${seen.listId}, row ${seen.row}`})`;
        continue;
      }
      // Do-not-call is about the line: a listed switchboard blocks every extension behind it.
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
      const phone: { number: string; type: Phone['type']; priority: number; extension?: string } = {
        number: n.e164,
        type: p.type,
        priority: phones.length,
      };
      if (extension !== undefined) phone.extension = extension;
      phones.push(phone);
      if (extensionKey === undefined) phoneKeys.push(key);
      else extensionKeys.push(extensionKey);
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
      // One zone (the common case): a shared list per zone instead of split, map and filter per row.
      const list = /[|;]/.test(explicit)
        ? explicit
            .split(/[|;]/)
            .map((z) => z.trim())
            .filter((z) => z !== '')
        : oneZone(explicit);
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

    deduper.remember(
      listIndex,
      row,
      phoneKeys,
      key === '' ? undefined : key,
      f.id !== undefined || reusedListId ? id : undefined,
      extensionKeys,
    );
    report.imported++;
    sink(contact as unknown as Contact, row);
  };

  // Rows are handled in batches: first the phone keys (of NANP numbers, the common case) and
  // ids of the whole batch are looked up in the dedupe tables and registries, in loops whose
  // cache misses overlap; then the rows are handled one by one, in order, as if there were no
  // batch, and find that memory in cache.
  const BATCH = 64;
  let aheadKeys = new Float64Array(0);
  const aheadIds: string[] = [];
  const prefetch = (items: readonly ListItem[], from: number, to: number): void => {
    const m = resolved;
    if (!m) return;
    if (aheadKeys.length < BATCH * m.phones.length) aheadKeys = new Float64Array(BATCH * m.phones.length);
    const idIndex = m.fields.id?.index;
    let keys = 0;
    aheadIds.length = 0;
    for (let i = from; i < to; i++) {
      const item = items[i] as ListItem;
      if (!('cells' in item)) continue;
      const record = item.cells;
      for (const p of m.phones) {
        const cell = record[p.index];
        if (cell === undefined) continue;
        const nanp = matchNanp(cell);
        if (nanp >= 0) aheadKeys[keys++] = 10_000_000_000 + (nanp % NANP_EXPLICIT);
      }
      if (idIndex !== undefined) aheadIds.push(cellOf(record, idIndex));
    }
    const ahead = aheadKeys.subarray(0, keys);
    deduper.prefetch(ahead, aheadIds);
    options.dnc?.prefetch?.(ahead);
  };

  // A throw (a bug, or the host's onContact) stops the import: no row is handled after it.
  const yieldControl = options.yieldControl ?? yieldToEventLoop;
  const now = options.now ?? (options.yieldControl ? undefined : sliceClock);
  const sliceMs = options.sliceMs ?? IMPORT_SLICE_MS;
  let sliceStart = now?.() ?? 0;
  // The turn comes before the contacts are handed over: `onContacts` (dialer.addContacts) starts
  // its own slice of work at once, which must not follow this one without a turn between.
  const handOver = async (): Promise<void> => {
    await yieldControl();
    sliceStart = now?.() ?? 0;
    if (pending.length > 0 && options.onContacts) {
      await options.onContacts(pending.splice(0, pending.length));
      await yieldControl();
      sliceStart = now?.() ?? 0;
    }
  };
  const read = listItems(source, {
    header: hasHeader,
    ...(options.format === undefined ? {} : { format: options.format }),
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
    ...(resolved === undefined ? {} : { width: resolved.width }),
  });
  try {
    for await (const items of read.batches) {
      for (let from = 0; from < items.length; from += BATCH) {
        const to = Math.min(items.length, from + BATCH);
        if (resolved) prefetch(items, from, to);
        for (let i = from; i < to; i++) {
          const item = items[i] as ListItem;
          if ('cells' in item) onRecord(item.cells, item.line);
          else onUnclosed(item.unclosed);
        }
        // Out of time within a batch: hand over what is done and let the event loop run.
        if (now && to < items.length && now() - sliceStart >= sliceMs) await handOver();
      }
      await handOver();
    }
  } catch (error) {
    if (error instanceof SheetNotFound)
      throw new PacelineError('E_INVALID_INPUT', `sheet: ${error.message}`, { sheet: error.sheet, sheets: error.sheets });
    if (error instanceof RangeError && error.message.startsWith('delimiter:')) throw configError('delimiter', error.message.slice(11));
    throw error;
  }
  report.format = read.format();
  if (report.rowsRead === 0) {
    throw new PacelineError(
      'E_INVALID_INPUT',
      `list ${listId}: ${hasHeader && headerSeen ? 'the file has a header row but no rows under it' : 'the file is empty (no rows)'}; check that the right file was chosen`,
      { listId },
    );
  }
  return { contacts, report };
}
