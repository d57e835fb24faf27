import { PacelineError, type Phone } from '@paceline/core';

/** A column by header name (matched ignoring case and spaces), or by 0-based index (picks one of two same-named columns; files without a header). */
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

/** The scalar fields of a mapping, in the order they are checked. */
export const SCALAR_FIELDS = ['id', 'key', 'firstName', 'lastName', 'postalCode', 'state', 'country', 'timeZone', 'priority'] as const;

/** A mapped column found in the file. */
export interface ResolvedColumn {
  readonly index: number;
  /** The header's own spelling (or the index, without a header): reports name columns with it. */
  readonly name: string;
}

/** A mapping with its columns found. */
export interface ResolvedMapping {
  readonly phones: (ResolvedColumn & { readonly type: Phone['type'] })[];
  readonly fields: Partial<Record<(typeof SCALAR_FIELDS)[number], ResolvedColumn>>;
  readonly profile: (ResolvedColumn & { readonly attr: string; readonly type: AttributeType })[];
  /** Cells a record has (the header's count, or one past the largest index). */
  readonly width: number;
}

const PHONE_TYPES = new Set(['mobile', 'landline', 'work', 'other', 'unknown']);

/**
 * A header name as it is compared: case, spaces (also non-breaking and zero-width ones) and
 * compatibility forms ignored, so `Phone`, ` PHONE `, `phone` and `Ph one` are one name.
 */
export function headerKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/(?:\s|\u200b|\u200c|\u200d|\ufeff)+/g, '')
    .toLowerCase();
}

/** An `E_INVALID_CONFIG` error for one setting. */
export function configError(path: string, message: string): PacelineError {
  return new PacelineError('E_INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
}

/**
 * Find the mapping's columns in the header (or check its indices without one). Every problem
 * is collected and refused at once: a column that is not there, a name two columns share
 * (naming both, unless the mapping picks one by index), a required field that is not mapped.
 */
export function resolveMapping(
  mapping: ColumnMapping,
  header: readonly string[] | undefined,
  required: readonly string[],
): ResolvedMapping {
  const issues: string[] = [];
  const byKey = new Map<string, number[]>();
  header?.forEach((name, i) => {
    const key = headerKey(name);
    if (key !== '') byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const find = (column: Column, path: string): ResolvedColumn => {
    if (typeof column === 'number') {
      if (!Number.isInteger(column) || column < 0) issues.push(`${path}: expected a 0-based column index, got ${column}`);
      else if (header && column >= header.length)
        issues.push(`${path}: column index ${column} is past the header's last column (${header.length - 1})`);
      return { index: column, name: header?.[column]?.trim() || String(column) };
    }
    if (typeof column !== 'string' || headerKey(column) === '') {
      issues.push(`${path}: expected a column name or a 0-based index, got ${JSON.stringify(column)}`);
      return { index: -1, name: String(column) };
    }
    if (!header) {
      issues.push(`${path}: column "${column}" by name needs a header row (set header: true or use an index)`);
      return { index: -1, name: column };
    }
    const found = byKey.get(headerKey(column)) ?? [];
    if (found.length === 0) {
      issues.push(`${path}: no column "${column}" in the header (${header.map((h) => h.trim()).join(', ')})`);
      return { index: -1, name: column };
    }
    if (found.length > 1) {
      const named = found.map((i) => `${i} "${(header[i] ?? '').trim()}"`).join(' and ');
      issues.push(`${path}: "${column}" names ${found.length} columns, ${named}; map one by its index (${found.join(' or ')})`);
    }
    const index = found[0] as number;
    return { index, name: (header[index] ?? column).trim() };
  };
  if (!Array.isArray(mapping.phones) || mapping.phones.length === 0) {
    throw configError('mapping.phones', 'expected at least one phone column');
  }
  const phones = mapping.phones.map((p, i) => {
    const column = typeof p === 'object' ? p.column : p;
    const type = typeof p === 'object' ? (p.type ?? 'unknown') : 'unknown';
    if (!PHONE_TYPES.has(type)) issues.push(`mapping.phones[${i}].type: expected mobile, landline, work, other or unknown, got "${type}"`);
    return { ...find(column, `mapping.phones[${i}]`), type };
  });
  const fields: ResolvedMapping['fields'] = {};
  for (const f of SCALAR_FIELDS) {
    const column = mapping[f];
    if (column !== undefined) fields[f] = find(column, `mapping.${f}`);
  }
  const profile = Object.entries(mapping.profile ?? {}).map(([attr, spec]) => {
    const column = typeof spec === 'object' ? spec.column : spec;
    const type = typeof spec === 'object' ? spec.type : 'string';
    if (type !== 'string' && type !== 'number' && type !== 'boolean')
      issues.push(`mapping.profile.${attr}.type: expected string, number or boolean`);
    return { ...find(column, `mapping.profile.${attr}`), attr, type };
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

/**
 * A mapping guessed from a header, for the dashboard's mapping form: the usual names of each
 * field (`phone`, `mobile`, `first name`, `zip` …), matched like {@link resolveMapping} does.
 * The manager confirms or changes it on the preview.
 */
export function suggestMapping(header: readonly string[]): Partial<Record<'phones' | (typeof SCALAR_FIELDS)[number], number[] | number>> {
  const names: Record<string, readonly string[]> = {
    phones: [
      'phone',
      'phonenumber',
      'telephone',
      'tel',
      'mobile',
      'cell',
      'cellphone',
      'homephone',
      'workphone',
      'altphone',
      'phone1',
      'phone2',
    ],
    id: ['id', 'customerid', 'contactid', 'customer_id', 'contact_id'],
    firstName: ['firstname', 'first_name', 'first', 'givenname', 'forename'],
    lastName: ['lastname', 'last_name', 'last', 'surname', 'familyname'],
    postalCode: ['zip', 'zipcode', 'postcode', 'postalcode', 'postal_code'],
    state: ['state', 'province', 'region'],
    country: ['country', 'countrycode'],
    timeZone: ['timezone', 'tz', 'time_zone'],
    priority: ['priority'],
  };
  const out: Partial<Record<'phones' | (typeof SCALAR_FIELDS)[number], number[] | number>> = {};
  const keys = header.map(headerKey);
  for (const [field, candidates] of Object.entries(names)) {
    const hits = keys.flatMap((k, i) => (candidates.includes(k) ? [i] : []));
    if (hits.length === 0) continue;
    (out as Record<string, number[] | number>)[field] = field === 'phones' ? hits : (hits[0] as number);
  }
  return out;
}
