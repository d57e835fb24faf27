import type { Contact } from '@paceline/core';

/**
 * How the embedded store keeps a contact: one deep-frozen copy, as small as a contact can be
 * on the V8 heap. Half a million uploaded contacts live on the dialer's heap, so bytes per
 * contact are the store's memory:
 * - strings are shared, not copied (they cannot change), except that a long one (13+
 *   characters, which V8 keeps as a slice of the text it was cut from) is copied out, so a
 *   contact never holds on to the 64 kB of file text an importer read it from;
 * - what repeats across contacts is one shared frozen value: the empty profile and consents,
 *   each list of time zones, phone types, and (up to a bound) each first name, last name,
 *   postal code, state and country;
 * - no `structuredClone` (it copies every string and builds objects property by property).
 *
 * Equal (`toEqual`, JSON) to the contact given; callers cannot change it (frozen) and cannot
 * change it through the object they passed (copied).
 */
export function compactContact(contact: Contact): Contact {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(contact)) {
    const value = (contact as unknown as Record<string, unknown>)[name];
    switch (name) {
      case 'phones':
        out.phones = Object.freeze((value as Contact['phones']).map(compactPhone));
        break;
      case 'timeZones':
        out.timeZones = value === undefined ? undefined : internZones(value as readonly string[]);
        break;
      case 'profile':
        out.profile = compactProfile(value as Contact['profile']);
        break;
      case 'consents':
        out.consents = (value as Contact['consents']).length === 0 ? EMPTY_LIST : deepFreeze(structuredClone(value));
        break;
      default:
        out[name] =
          typeof value === 'string'
            ? SHARED_FIELDS.has(name)
              ? intern(value)
              : ownString(value)
            : typeof value === 'object' && value !== null
              ? deepFreeze(structuredClone(value))
              : value;
    }
  }
  return Object.freeze(out) as unknown as Contact;
}

/** Fields whose values repeat across a list (first names, ZIP codes …): one string per value. */
const SHARED_FIELDS = new Set(['firstName', 'lastName', 'postalCode', 'state', 'country']);

const EMPTY_PROFILE = Object.freeze({}) as Contact['profile'];
const EMPTY_LIST = Object.freeze([]) as unknown as never[];

/** V8 keeps a substring of 13+ characters as a slice of its parent; this is a copy that holds only itself. */
export function ownString(text: string): string {
  // Prepending makes a cons string; slicing it flattens that into a fresh string of its own.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function compactPhone(phone: Contact['phones'][number]): Contact['phones'][number] {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(phone)) {
    const value = (phone as unknown as Record<string, unknown>)[name];
    out[name] = typeof value === 'string' ? (name === 'type' ? intern(value) : ownString(value)) : value;
  }
  return Object.freeze(out) as unknown as Contact['phones'][number];
}

function compactProfile(profile: Contact['profile']): Contact['profile'] {
  const names = Object.keys(profile);
  if (names.length === 0) return EMPTY_PROFILE;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = profile[name];
    out[name] =
      typeof value === 'string'
        ? ownString(value)
        : typeof value === 'object' && value !== null
          ? deepFreeze(structuredClone(value))
          : value;
  }
  return Object.freeze(out) as Contact['profile'];
}

/** Bounded: a list of distinct values must not grow a table without end (past it, values are simply not shared). */
const INTERN_LIMIT = 65_536;
const strings = new Map<string, string>();
const zoneLists = new Map<string, readonly string[]>();

function intern(text: string): string {
  const known = strings.get(text);
  if (known !== undefined) return known;
  const own = ownString(text);
  if (strings.size < INTERN_LIMIT) strings.set(own, own);
  return own;
}

/** One frozen array per distinct list of zones (lists of a few zones out of a few hundred). */
function internZones(zones: readonly string[]): readonly string[] {
  const key = zones.length === 1 ? (zones[0] as string) : zones.join('\n');
  const known = zoneLists.get(key);
  if (known !== undefined) return known;
  const list = Object.freeze(zones.map(intern));
  if (zoneLists.size < INTERN_LIMIT) zoneLists.set(zones.length === 1 ? (list[0] as string) : key, list);
  return list;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
