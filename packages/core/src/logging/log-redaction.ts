/**
 * What may reach a log line. Logs never carry phone numbers, names, addresses or e-mail
 * addresses (STYLE.md); contacts are named by id. Everything here is pure: the engine's
 * default pino logger and {@link redactingLogger} (which wraps a host's logger) both use it.
 */

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';
/** What replaces a phone number found in free text. */
export const REDACTED_PHONE = '[phone]';
/** What replaces an e-mail address found in free text. */
export const REDACTED_EMAIL = '[email]';

/** Deepest nesting walked; anything below is replaced (a log line is not a data dump). */
const MAX_DEPTH = 8;
/** Longest array kept per level; the rest is summarised as a count. */
const MAX_ITEMS = 50;

/**
 * Keys whose value is personal data wherever they appear, compared lower-case without `_`/`-`.
 * `args` and `argv` are a driver's command arguments (ioredis puts whole Lua script inputs,
 * with contact JSON, in `err.command.args`).
 */
const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  'phone',
  'phones',
  'phonenumber',
  'number',
  'numbers',
  'msisdn',
  'mobile',
  'landline',
  'to',
  'from',
  'callerid',
  'ani',
  'dnis',
  'uri',
  'firstname',
  'lastname',
  'fullname',
  'middlename',
  'givenname',
  'familyname',
  'surname',
  'displayname',
  'customername',
  'contactname',
  'email',
  'emails',
  'mail',
  'address',
  'addresses',
  'line1',
  'line2',
  'street',
  'postalcode',
  'postcode',
  'zip',
  'zipcode',
  'profile',
  'customer',
  'customermessage',
  'args',
  'argv',
  'body',
  'payload',
  'csv',
]);
/** Keys holding a contact (or contacts): reduced to the id(s). */
const CONTACT_KEYS: ReadonlySet<string> = new Set(['contact', 'contacts']);

/** `+` and 7–15 digits with the separators people write (E.164 and international formats). */
const INTERNATIONAL_PHONE = /\+\s?\d(?:[\s().-]{0,2}\d){6,14}/g;
/** North American national formats: `(212) 555-0177`, `212-555-0177`, `212.555.0177`. */
const NATIONAL_PHONE = /\(?\b\d{3}\)?[\s.-]{1,2}\d{3}[\s.-]\d{4}\b/g;
/** A bare run of 10 or 11 digits (a national number without separators), not part of a longer number. */
const BARE_PHONE = /(?<![\d.])\d{10,11}(?![\d.])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** JSON embedded in text: `"firstName":"…"` and the like keep their key but lose their value. */
const EMBEDDED_JSON_FIELD =
  /"(first_?name|last_?name|full_?name|name|e-?mail|line1|line2|street|postal_?code|post_?code|zip|city|phone|number|note|notes)"\s*:\s*"(?:[^"\\]|\\.)*"/gi;

function normalisedKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** True when a key's value is personal data wherever it appears (`phone`, `firstName`, `postalCode`, …). */
export function isPersonalKey(key: string): boolean {
  return PERSONAL_KEYS.has(normalisedKey(key));
}

/**
 * Free text with phone numbers, e-mail addresses and personal fields of embedded JSON
 * replaced: `duplicate number +1 212 555 0177` → `duplicate number [phone]`.
 */
export function redactLogText(text: string): string {
  return text
    .replace(EMBEDDED_JSON_FIELD, (_m, key: string) => `"${key}":"${REDACTED}"`)
    .replace(EMAIL, REDACTED_EMAIL)
    .replace(INTERNATIONAL_PHONE, REDACTED_PHONE)
    .replace(NATIONAL_PHONE, REDACTED_PHONE)
    .replace(BARE_PHONE, REDACTED_PHONE);
}

/** An error as a log line shows it: what and where, never the data it was carrying. */
export interface SerializedError {
  readonly type: string;
  readonly message: string;
  readonly code?: string | number;
  /** The driver command that failed, by name only (`evalsha`): its arguments are dropped. */
  readonly command?: string;
  readonly syscall?: string;
  readonly statusCode?: number;
  readonly stack?: string;
  /** Validation issues: where, and what was wrong (values scrubbed). */
  readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  readonly cause?: SerializedError | unknown;
  /** An AggregateError's errors. */
  readonly errors?: readonly SerializedError[];
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && typeof (value as Error).stack === 'string' && 'message' in value)
  );
}

/**
 * The error serializer of every Paceline log line: keeps the error's type, message, code,
 * the name of the driver command that failed and the stack (all scrubbed of phone numbers and
 * e-mail), and drops everything else an error object may carry — ioredis's `command.args`,
 * a driver's `previousErrors`, request bodies. `cause` and an AggregateError's `errors` are
 * serialized the same way.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!isErrorLike(error)) return { type: typeof error, message: redactLogText(String(error)) };
  const e = error as Error & Record<string, unknown>;
  const plainType = (error as { type?: unknown }).type;
  const out: Record<string, unknown> = {
    // An error serialized before (a plain object) keeps its type.
    type:
      !(error instanceof Error) && typeof plainType === 'string'
        ? plainType
        : typeof e.name === 'string' && e.name !== 'Error'
          ? e.name
          : (e.constructor?.name ?? 'Error'),
    message: redactLogText(String(e.message)),
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  const command = e.command as { name?: unknown } | string | undefined;
  if (command && typeof command === 'object' && typeof command.name === 'string') out.command = command.name;
  else if (typeof command === 'string') out.command = command;
  if (typeof e.syscall === 'string') out.syscall = e.syscall;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (typeof e.stack === 'string') out.stack = redactLogText(e.stack);
  const issues = (e as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0) {
    out.issues = issues.slice(0, MAX_ITEMS).map((issue: { path?: unknown; message?: unknown }) => ({
      path: redactLogText(String(issue?.path ?? '')),
      message: redactLogText(String(issue?.message ?? '')),
    }));
  }
  if (depth < 3 && e.cause !== undefined) {
    out.cause = isErrorLike(e.cause) ? serializeError(e.cause, depth + 1) : redactLogValue(e.cause, depth + 1);
  }
  if (depth < 3 && Array.isArray(e.errors)) out.errors = e.errors.slice(0, 10).map((inner) => serializeError(inner, depth + 1));
  return out as unknown as SerializedError;
}

function contactIds(value: unknown): unknown {
  if (Array.isArray(value)) {
    const ids = value.slice(0, MAX_ITEMS).map(contactIds);
    return value.length > MAX_ITEMS ? [...ids, `… ${value.length - MAX_ITEMS} more`] : ids;
  }
  if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') {
    return { id: redactLogText((value as { id: string }).id) };
  }
  return REDACTED;
}

/**
 * A copy of `value` fit for a log line, at any depth: errors through {@link serializeError},
 * personal keys ({@link isPersonalKey}) replaced by `[redacted]`, a `contact`/`contacts` value
 * reduced to its id(s), every string scrubbed by {@link redactLogText}. Never mutates `value`;
 * cycles, depth past 8 and long arrays are cut.
 */
export function redactLogValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactLogText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (isErrorLike(value)) return serializeError(value);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((item) => redactLogValue(item, depth + 1, seen));
      return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
    }
    if (value instanceof Map) return redactLogValue(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return redactLogValue([...value], depth, seen);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const normalised = normalisedKey(key);
      if (CONTACT_KEYS.has(normalised)) out[key] = contactIds(inner);
      else if (PERSONAL_KEYS.has(normalised)) out[key] = inner === undefined ? undefined : REDACTED;
      else out[key] = redactLogValue(inner, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
