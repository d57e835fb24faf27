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

/**
 * The shape of a well-formed NANP number: optional +1/1, area code (optionally in parentheses),
 * exchange, line. The specification {@link matchNanp} is tested against.
 */
export const NANP_SHAPE = /^\s*(\+?1[ .-]?)?(?:\(([2-9][0-9]{2})\)|([2-9][0-9]{2}))[ .-]?([2-9][0-9]{2})[ .-]?([0-9]{4})\s*$/;

/** Added to {@link matchNanp}'s answer when the number was written with `+1`. */
export const NANP_EXPLICIT = 10_000_000_000;

/** JavaScript's `\s`: Unicode white space and line terminators. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `[ .-]` */
function isSeparator(c: number): boolean {
  return c === 32 || c === 46 || c === 45;
}

/** Three digits at `i` whose first is 2–9 (`[2-9][0-9]{2}`) as a number, else -1. */
function threeDigits(raw: string, i: number): number {
  const a = raw.charCodeAt(i) - 48;
  const b = raw.charCodeAt(i + 1) - 48;
  const c = raw.charCodeAt(i + 2) - 48;
  // NaN (past the end) fails every comparison.
  if (!(a >= 2 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return -1;
  return a * 100 + b * 10 + c;
}

/**
 * {@link NANP_SHAPE} without the regular expression's match array and substrings (the import
 * asks it a million times): the 10-digit national number, plus {@link NANP_EXPLICIT} when it
 * was written with `+1`; -1 when the shape does not match. Where the pattern is optional the
 * scan decides on the next character, which is the only choice that can lead to a match.
 */
export function matchNanp(raw: string): number {
  let i = 0;
  let end = raw.length;
  while (i < end && isSpace(raw.charCodeAt(i))) i++;
  while (end > i && isSpace(raw.charCodeAt(end - 1))) end--;
  let explicit = false;
  if (raw.charCodeAt(i) === 43 /* + */) {
    if (raw.charCodeAt(i + 1) !== 49 /* 1 */) return -1;
    explicit = true;
    i++;
  }
  // The area code cannot start with 1, so a leading 1 is the country code.
  if (raw.charCodeAt(i) === 49 /* 1 */) {
    i++;
    if (isSeparator(raw.charCodeAt(i))) i++;
  }
  let area: number;
  if (raw.charCodeAt(i) === 40 /* ( */) {
    area = threeDigits(raw, i + 1);
    if (area < 0 || raw.charCodeAt(i + 4) !== 41 /* ) */) return -1;
    i += 5;
  } else {
    area = threeDigits(raw, i);
    if (area < 0) return -1;
    i += 3;
  }
  if (isSeparator(raw.charCodeAt(i))) i++;
  const exchange = threeDigits(raw, i);
  if (exchange < 0) return -1;
  i += 3;
  if (isSeparator(raw.charCodeAt(i))) i++;
  let line = 0;
  for (const stop = i + 4; i < stop; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    line = line * 10 + d;
  }
  if (i !== end) return -1;
  return (explicit ? NANP_EXPLICIT : 0) + area * 10_000_000 + exchange * 10_000 + line;
}

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
 * `+1` and the 10 digits of `national`, made as one string. Printing the number instead is
 * slow above 2^31 and, below it, fills V8's number-string cache with a million strings that
 * each outlive a young-generation collection.
 */
function nanpE164(national: number): string {
  // Two small integers (area code, subscriber number), so the digit arithmetic stays in int32.
  const area = Math.floor(national / 10_000_000);
  const subscriber = national - area * 10_000_000;
  return String.fromCharCode(
    43,
    49,
    digitAt(area, 100),
    digitAt(area, 10),
    digitAt(area, 1),
    digitAt(subscriber, 1_000_000),
    digitAt(subscriber, 100_000),
    digitAt(subscriber, 10_000),
    digitAt(subscriber, 1000),
    digitAt(subscriber, 100),
    digitAt(subscriber, 10),
    digitAt(subscriber, 1),
  );
}

/** The character code of the digit of `n` (a non-negative int32) at `place` (1, 10, 100 …). */
function digitAt(n: number, place: number): number {
  return 48 + (((n / place) | 0) % 10);
}

/**
 * Normalise a raw phone value to E.164. Well-formed NANP numbers (most US/CA lists) take a
 * fast path: a shape check plus a per-area-code table generated from libphonenumber-js, so
 * the answer is the same as {@link normalisePhoneWithLibphonenumber} (a property test holds
 * them equal); everything else goes to libphonenumber-js.
 */
export function normalisePhone(raw: string, defaultCountry?: string): NormalisedPhone {
  const nanp = matchNanp(raw);
  if (nanp >= 0) {
    const explicit = nanp >= NANP_EXPLICIT;
    if (explicit || defaultCountry === 'US' || defaultCountry === 'CA') {
      const national = explicit ? nanp - NANP_EXPLICIT : nanp;
      const areaCode = Math.floor(national / 10_000_000);
      const answer = NANP_VALIDITY.charCodeAt(areaCode - 200);
      if (answer === 33 /* '!' */) return INVALID;
      if (answer !== 63 /* '?' */) return { ok: true, e164: nanpE164(national), country: NANP_COUNTRIES[answer - 65], areaCode };
    }
  }
  return normalisePhoneWithLibphonenumber(raw, defaultCountry);
}

/** E.164 digits as a number (`+14155550123` → 14155550123); exact, since E.164 has at most 15 digits. */
export function e164ToKey(e164: string): number {
  return Number(e164.slice(1));
}

/**
 * {@link e164ToKey} for a string {@link normalisePhone} made (`+` and digits only), without
 * the substring: the import's hot path.
 */
export function keyOfNormalised(e164: string): number {
  let key = 0;
  for (let i = 1; i < e164.length; i++) key = key * 10 + (e164.charCodeAt(i) - 48);
  return key;
}

/** The inverse of {@link e164ToKey}. */
export function keyToE164(key: number): string {
  return `+${key}`;
}
