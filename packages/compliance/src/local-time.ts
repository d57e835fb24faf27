import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** UTC offsets change only on quarter-hour boundaries in the tz database, so they are memoised per 15 minutes. */
const BUCKET_MS = 15 * MINUTE_MS;

/** The local calendar fields of an instant in a zone. */
export interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
  /** Days since 1970-01-01 of the local date. */
  readonly epochDay: number;
}

/**
 * Zone arithmetic for calling windows: UTC offsets come from luxon's `IANAZone` (the tz
 * database through Intl), memoised per quarter hour, and the calendar maths is done on plain
 * numbers. Correct across DST changes: a local time that falls in a spring-forward gap moves
 * forward, like luxon.
 */
export class ZoneClock {
  readonly zone: string;
  readonly #iana: IANAZone;
  readonly #offsets = new Map<number, number>();

  constructor(zone: string) {
    this.zone = zone;
    this.#iana = IANAZone.create(zone);
  }

  /** True when the tz database knows the zone. */
  get isValid(): boolean {
    return this.#iana.isValid;
  }

  /** UTC offset in minutes at `atMs`. */
  offsetMinutes(atMs: number): number {
    const bucket = Math.floor(atMs / BUCKET_MS);
    let offset = this.#offsets.get(bucket);
    if (offset === undefined) {
      offset = this.#iana.offset(atMs);
      if (this.#offsets.size > 50_000) this.#offsets.clear();
      this.#offsets.set(bucket, offset);
    }
    return offset;
  }

  /** Local calendar fields of `atMs`. */
  fields(atMs: number): LocalFields {
    const localMs = atMs + this.offsetMinutes(atMs) * MINUTE_MS;
    const epochDay = Math.floor(localMs / DAY_MS);
    const minute = Math.floor((localMs - epochDay * DAY_MS) / MINUTE_MS);
    const [year, month, day] = civilFromDays(epochDay);
    // 1970-01-01 was a Thursday (ISO 4).
    const weekday = ((((epochDay + 3) % 7) + 7) % 7) + 1;
    return { year, month, day, weekday, minute, epochDay };
  }

  /** The instant of local wall time `minute` (0–1440) on local day `epochDay`. */
  instant(epochDay: number, minute: number): number {
    const localMs = epochDay * DAY_MS + minute * MINUTE_MS;
    // luxon's fixOffset: guess with the offset at the wall time, correct once, and in a gap
    // take the later reading (the wall clock jumped forward past it).
    const o = this.offsetMinutes(localMs);
    let guess = localMs - o * MINUTE_MS;
    const o2 = this.offsetMinutes(guess);
    if (o === o2) return guess;
    guess -= (o2 - o) * MINUTE_MS;
    const o3 = this.offsetMinutes(guess);
    if (o2 === o3) return guess;
    return localMs - Math.min(o2, o3) * MINUTE_MS;
  }
}

/** [year, month 1–12, day] of days since 1970-01-01 (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const clocks = new Map<string, ZoneClock>();

/** The (memoised, stateless apart from its offset cache) clock of a zone. */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}
