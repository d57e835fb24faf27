import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { matchNanp, NANP_EXPLICIT, normalisePhone, type ValidPhone } from './e164';

/** A phone cell read strictly: the number, and its extension when the cell has one. */
export type PhoneCell =
  | (ValidPhone & { readonly extension?: string })
  | {
      readonly ok: false;
      /** `not-a-number`: text, not a number; `invalid`: not an assigned number; `scientific`: Excel shortened it. */
      readonly reason: 'not-a-number' | 'invalid' | 'scientific';
    };

/** `2.12556E+09`, `1,21255501E+10`: how Excel shows (and saves to CSV) a long number in a cell formatted as a number. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

/**
 * Read a phone cell strictly: the whole cell must be a phone number — digits, spaces,
 * `+ - . ( ) /`, and optionally an extension (`ext. 12`, `x7`, `#12`, `;ext=9`), as
 * libphonenumber-js reads it without `extract`. A number inside prose (`call 212 555 0142
 * now`) is not one. Well-formed NANP numbers take {@link normalisePhone}'s fast path.
 */
export function parsePhoneCell(raw: string, defaultCountry: string | undefined): PhoneCell {
  const nanp = matchNanp(raw);
  if (nanp >= 0 && (nanp >= NANP_EXPLICIT || defaultCountry === 'US' || defaultCountry === 'CA')) {
    // A clean NANP shape: the fast path's answer is libphonenumber's (a property test holds them equal).
    const n = normalisePhone(raw, defaultCountry);
    return n.ok ? n : { ok: false, reason: n.reason === 'invalid' ? 'invalid' : 'not-a-number' };
  }
  if (SCIENTIFIC.test(raw)) return { ok: false, reason: 'scientific' };
  const parsed = parseQuietly(raw, defaultCountry);
  if (!parsed) return { ok: false, reason: 'not-a-number' };
  if (!parsed.isValid()) return { ok: false, reason: 'invalid' };
  const e164 = parsed.number;
  const base: ValidPhone =
    e164.startsWith('+1') && e164.length === 12
      ? { ok: true, e164, country: parsed.country, areaCode: Number(e164.slice(2, 5)) }
      : { ok: true, e164, country: parsed.country };
  return parsed.ext ? { ...base, extension: parsed.ext } : base;
}

/**
 * libphonenumber-js answers "not a number" by throwing (and catching) a `ParseError`; taking
 * that error's stack trace was a third of the cost of a prose cell. No stack is taken here:
 * the error never leaves the library.
 */
function parseQuietly(raw: string, defaultCountry: string | undefined): ReturnType<typeof parsePhoneNumberFromString> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parsePhoneNumberFromString(
      raw,
      defaultCountry === undefined ? { extract: false } : { defaultCountry: defaultCountry as CountryCode, extract: false },
    );
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** What to tell the manager about a phone cell that is not a number, with the cell quoted (cut to 24 characters). */
export function phoneCellMessage(column: string, raw: string, reason: 'not-a-number' | 'invalid' | 'scientific'): string {
  const quoted = JSON.stringify(raw.slice(0, 24));
  if (reason === 'scientific')
    return `${column}: ${quoted} is Excel scientific notation: the digits after the first few were lost when the column was saved as a number; format the column as Text in Excel (or re-export it from the source) and import again`;
  if (reason === 'invalid') return `${column}: not a valid number (${quoted})`;
  return `${column}: not a phone number (${quoted}): a phone cell holds only the number, with spaces, + - . ( ) and an optional extension such as "ext. 12"`;
}
