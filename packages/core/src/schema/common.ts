import Type, { type TEnum } from 'typebox';
import type { TDefaulted } from './input';

/**
 * Building blocks shared by the domain schemas. `expected` is Paceline metadata the
 * validator puts in error messages (`expected HH:mm, got "25:00"`).
 */

/** A non-empty identifier chosen by the host. */
export const Id = Type.String({ minLength: 1, maxLength: 128, expected: 'a non-empty id of at most 128 characters' });

/** A phone number in E.164 form: `+` then 7 to 15 digits, no leading zero. */
export const E164 = Type.String({
  pattern: '^\\+[1-9][0-9]{6,14}$',
  expected: 'an E.164 number such as +14155550123',
});

/** A wall-clock time of day, `HH:mm` in 24-hour form; `24:00` closes a window at midnight. */
export const TimeOfDay = Type.String({
  pattern: '^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  expected: 'HH:mm',
});

/** An IANA time-zone name such as `America/Chicago` (checked against the runtime's zone data). */
export const TimeZone = Type.String({ minLength: 1, expected: 'an IANA time zone such as America/Chicago' });

/** Milliseconds since the Unix epoch, as returned by `Clock.now()`. */
export const Timestamp = Type.Number({ minimum: 0, expected: 'epoch milliseconds' });

/** A non-negative duration in milliseconds. */
export const DurationMs = Type.Integer({ minimum: 0, expected: 'a duration in milliseconds' });

/** ISO 3166-1 alpha-2 country code, upper case. */
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', expected: 'an ISO 3166-1 alpha-2 code such as US' });

/** ISO 4217 currency code, upper case. */
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', expected: 'an ISO 4217 code such as USD' });

/** Days of the week, ISO numbering: 1 = Monday … 7 = Sunday. */
export const Weekday = Type.Integer({ minimum: 1, maximum: 7, expected: 'an ISO weekday, 1 (Monday) to 7 (Sunday)' });

/** A scalar profile attribute value supplied by the host. */
export const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], {
  expected: 'a string, number, boolean or null',
});

/** A daily window of local time with the days it applies on. */
export const DailyWindow = Type.Object(
  {
    start: TimeOfDay,
    end: TimeOfDay,
    days: Type.Optional(Type.Array(Weekday, { minItems: 1, uniqueItems: true })),
  },
  { additionalProperties: false },
);

/**
 * A string enum whose JSON Schema is a plain `enum` (one clear error when violated). With a
 * `default`, the field is optional in input types (`InputOf`).
 */
export function StringEnum<const T extends string[]>(values: readonly [...T], options: { default: T[number] }): TDefaulted<TEnum<T>>;
/** A string enum whose JSON Schema is a plain `enum`. */
export function StringEnum<const T extends string[]>(values: readonly [...T], options?: { default?: T[number] }): TEnum<T>;
export function StringEnum<const T extends string[]>(values: readonly [...T], options: { default?: T[number] } = {}): TEnum<T> {
  return Type.Enum<T>(values, { ...options, expected: `one of ${values.map((v) => `"${v}"`).join(', ')}` });
}
