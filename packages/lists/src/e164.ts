import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { NANP_COUNTRIES, NANP_VALIDITY } from './nanp-validity-table';

/** A number in E.164 form with the country it belongs to. */
export interface ValidPhone {
  readonly ok: true;
  /** `+` and digits, e.g. `+14155550123`. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 country of the number (for +1, the NANP country of its area code). */
  readonly country: string | undefined;
  /** The NANP area code for +1 numbers. */
  readonly areaCode?: number;
}

/** Why a value is not a usable phone number. */
export interface InvalidPhone {
  readonly ok: false;
  /** `empty`, `not-a-number` (no phone number in it), `invalid` (not an assigned number pattern). */
  readonly reason: 'empty' | 'not-a-number' | 'invalid';
}

/** The result of normalising one raw phone value. */
export type NormalisedPhone = ValidPhone | InvalidPhone;

const EMPTY: InvalidPhone = { ok: false, reason: 'empty' };
const NOT_A_NUMBER: InvalidPhone = { ok: false, reason: 'not-a-number' };
const INVALID: InvalidPhone = { ok: false, reason: 'invalid' };

/** The shape of a well-formed NANP number: optional +1/1, area code (optionally in parentheses), exchange, line. */
const NANP_SHAPE = /^\s*(\+?1[ .-]?)?(?:\(([2-9][0-9]{2})\)|([2-9][0-9]{2}))[ .-]?([2-9][0-9]{2})[ .-]?([0-9]{4})\s*$/;

/**
 * Normalise with libphonenumber-js only (metadata "min"): parse with `defaultCountry` for
 * national numbers, then require a valid number. The reference the fast path must match.
 */
export function normalisePhoneWithLibphonenumber(raw: string, defaultCountry?: string): NormalisedPhone {
  if (raw.trim() === '') return EMPTY;
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode | undefined);
  if (!parsed) return NOT_A_NUMBER;
  if (!parsed.isValid()) return INVALID;
  const e164 = parsed.number;
  return withAreaCode(e164, parsed.country);
}

function withAreaCode(e164: string, country: string | undefined): ValidPhone {
  if (e164.startsWith('+1') && e164.length === 12) return { ok: true, e164, country, areaCode: Number(e164.slice(2, 5)) };
  return { ok: true, e164, country };
}

/**
 * Normalise a raw phone value to E.164. Well-formed NANP numbers (most US/CA lists) take a
 * fast path: a shape check plus a per-area-code table generated from libphonenumber-js, so
 * the answer is the same as {@link normalisePhoneWithLibphonenumber} (a property test holds
 * them equal); everything else goes to libphonenumber-js.
 */
export function normalisePhone(raw: string, defaultCountry?: string): NormalisedPhone {
  const m = NANP_SHAPE.exec(raw);
  if (m !== null) {
    const explicit = m[1]?.startsWith('+') === true;
    if (explicit || defaultCountry === 'US' || defaultCountry === 'CA') {
      const areaCode = (m[2] ?? m[3]) as string;
      const answer = NANP_VALIDITY.charCodeAt(Number(areaCode) - 200);
      if (answer === 33 /* '!' */) return INVALID;
      if (answer !== 63 /* '?' */) {
        const e164 = `+1${areaCode}${m[4]}${m[5]}`;
        return { ok: true, e164, country: NANP_COUNTRIES[answer - 65], areaCode: Number(areaCode) };
      }
    }
  }
  return normalisePhoneWithLibphonenumber(raw, defaultCountry);
}

/** E.164 digits as a number (`+14155550123` → 14155550123); exact, since E.164 has at most 15 digits. */
export function e164ToKey(e164: string): number {
  return Number(e164.slice(1));
}

/** The inverse of {@link e164ToKey}. */
export function keyToE164(key: number): string {
  return `+${key}`;
}
