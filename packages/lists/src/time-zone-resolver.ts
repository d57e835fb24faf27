import { zonesOfCountry } from './country-zones';
import { areaCodeInfo, countryOfRegion, REGION_ZONES } from './nanp-area-codes';
import { postalHint, postalKey, ZIP_HINT_COUNT, zipHintIndex } from './postal-hints';

/** Where a contact's candidate zones came from. */
export type ZoneSource = 'explicit' | 'area-code' | 'postal-code' | 'state' | 'country' | 'default';

/** Candidate zones for the calling window, and how they were found. */
export interface ZoneResolution {
  /** The window is the intersection of these zones' windows. */
  readonly zones: readonly string[];
  readonly source: ZoneSource;
  /** True when more than one zone remains (the window is narrowed to what they share). */
  readonly ambiguous: boolean;
  /** The region (state / province) the number or hints point to, when known. */
  readonly region?: string;
}

/** What the resolver reads: the normalised number and the row's hints. */
export interface ZoneHints {
  readonly country?: string | undefined;
  /** NANP area code of the number, when it is +1. */
  readonly areaCode?: number | undefined;
  /** National significant number (non-NANP), for countries whose numbering says more. */
  readonly nationalNumber?: string | undefined;
  readonly postalCode?: string | undefined;
  /** State / province code (`FL`, `ON`). */
  readonly state?: string | undefined;
}

// A memo of a pure function (same hints, same answer), not shared state: safe across tenants.
const cachesByDefaults = new WeakMap<
  readonly string[],
  { us: (ZoneResolution | undefined)[]; byAreaCode: Map<string, ZoneResolution>[]; other: Map<string, ZoneResolution> }
>();

/** Slots per area code in the US memo: one per ZIP hint, and one for "no postal code, no state". */
const US_SLOTS = ZIP_HINT_COUNT + 1;

/**
 * Candidate IANA zones for a number: the NANP area code (split area codes keep every
 * candidate), narrowed by the postal code or state when they agree with it; other countries
 * from the number's country. A hint that contradicts the number (a ported or moved number)
 * widens to both, since either may be where the phone rings. Unknown → `defaultZones`.
 */
export function resolveTimeZones(hints: ZoneHints, defaultZones: readonly string[]): ZoneResolution {
  let caches = cachesByDefaults.get(defaultZones);
  if (!caches) {
    caches = { us: [], byAreaCode: [], other: new Map() };
    cachesByDefaults.set(defaultZones, caches);
  }
  // Fast path for the common US row: an area code and a plain 5-digit ZIP of a known ZIP3 on a
  // US number, or no postal code and no state. A known ZIP decides on its own (the state
  // column is then not read), so the answer depends on the area code and what the ZIP says
  // only: one memo slot per pair, few enough to stay in cache.
  const areaCode = hints.areaCode;
  if (areaCode !== undefined && (hints.country === 'US' || hints.country === undefined)) {
    let hint = -1;
    if (hints.postalCode === undefined) {
      if (hints.state === undefined) hint = ZIP_HINT_COUNT;
    } else if ((hints.country ?? areaCodeInfo(areaCode)?.country) === 'US') {
      // Only a US number reads the ZIP as a ZIP; for others the state may decide.
      hint = zipHintIndex(hints.postalCode);
    }
    if (hint >= 0) {
      const slot = areaCode * US_SLOTS + hint;
      let hit = caches.us[slot];
      if (!hit) {
        hit = resolveUncached(hints, defaultZones);
        caches.us[slot] = hit;
      }
      return hit;
    }
  }
  // Otherwise: a ZIP code by its first three digits, a Canadian postal code by its first three characters.
  const postal = hints.postalCode === undefined ? '' : postalKey(hints.postalCode);
  let cache: Map<string, ZoneResolution>;
  let key: string;
  if (hints.areaCode !== undefined) {
    let byArea = caches.byAreaCode[hints.areaCode];
    if (!byArea) {
      byArea = new Map();
      caches.byAreaCode[hints.areaCode] = byArea;
    }
    cache = byArea;
    key = `${postal}|${hints.state ?? ''}|${hints.country ?? ''}`;
  } else {
    cache = caches.other;
    key = `${postal}|${hints.state ?? ''}|${hints.country ?? ''}|${hints.country === 'AU' ? (hints.nationalNumber?.[0] ?? '') : ''}`;
  }
  const hit = cache.get(key);
  if (hit) return hit;
  const resolved = resolveUncached(hints, defaultZones);
  // Bounded: clear rather than grow without end on adversarial input.
  if (cache.size > 50_000) cache.clear();
  cache.set(key, resolved);
  return resolved;
}

function resolveUncached(hints: ZoneHints, defaultZones: readonly string[]): ZoneResolution {
  let zones: readonly string[] | undefined;
  let source: ZoneSource = 'default';
  let region: string | undefined;
  let numberCountry: string | undefined;
  if (hints.areaCode !== undefined) {
    const info = areaCodeInfo(hints.areaCode);
    if (info) {
      zones = info.zones;
      region = info.region;
      numberCountry = info.country;
      source = 'area-code';
    }
  } else if (hints.country !== undefined) {
    zones = zonesOfCountry(hints.country, hints.nationalNumber);
    if (zones) source = 'country';
  }
  const country = hints.country ?? numberCountry ?? (hints.state ? countryOfRegion(hints.state.toUpperCase()) : undefined);
  const postal = hints.postalCode ? postalHint(hints.postalCode, country) : undefined;
  const hintRegion = postal?.region ?? hints.state?.toUpperCase();
  const hintZones = postal?.zones ?? (hintRegion ? REGION_ZONES[hintRegion] : undefined);
  if (hintZones) {
    const hintSource: ZoneSource = postal ? 'postal-code' : 'state';
    if (!zones) {
      zones = hintZones;
      source = hintSource;
      region = hintRegion;
    } else {
      const both = zones.filter((z) => hintZones.includes(z));
      if (both.length > 0) {
        if (both.length < zones.length) source = hintSource;
        zones = both;
      } else {
        zones = [...new Set([...zones, ...hintZones])];
      }
    }
  }
  if (!zones || zones.length === 0) return { zones: defaultZones, source: 'default', ambiguous: defaultZones.length > 1 };
  return { zones, source, ambiguous: zones.length > 1, ...(region === undefined ? {} : { region }) };
}
