import { PacelineError } from '@paceline/core';
import { BUILTIN_PROFILES } from './builtin-profiles';
import {
  AU_NATIONAL_HOLIDAYS,
  createHolidayCalendar,
  FR_PUBLIC_HOLIDAYS,
  type HolidayCalendar,
  type HolidayCalendarSpec,
} from './holiday-calendar';
import { parseRuleProfile, type RuleProfile } from './rule-profile';

/**
 * The profiles and holiday calendars a compliance check can use. One per host or tenant
 * (no process-wide singleton): start from the built-ins, add or replace profiles and calendars.
 */
export class ProfileRegistry {
  readonly #profiles = new Map<string, RuleProfile>();
  readonly #calendars = new Map<string, HolidayCalendar>();

  /** A registry with the built-in profiles and calendars, plus `extra` ones (validated). */
  constructor(options: { profiles?: readonly unknown[]; calendars?: readonly HolidayCalendarSpec[] } = {}) {
    for (const p of BUILTIN_PROFILES) this.#profiles.set(p.id, p);
    for (const c of [AU_NATIONAL_HOLIDAYS, FR_PUBLIC_HOLIDAYS, ...(options.calendars ?? [])]) this.addCalendar(c);
    for (const p of options.profiles ?? []) this.addProfile(p);
  }

  /** Add or replace a profile; a bad profile is refused whole (`E_INVALID_CONFIG`). */
  addProfile(input: unknown): RuleProfile {
    const profile = parseRuleProfile(input);
    for (const [i, id] of profile.holidayCalendars.entries()) {
      if (!this.#calendars.has(id)) {
        throw new PacelineError('E_INVALID_CONFIG', `profile.holidayCalendars[${i}]: unknown calendar "${id}"; add it first`, {
          issues: [{ path: `profile.holidayCalendars[${i}]`, message: `unknown calendar "${id}"` }],
        });
      }
    }
    this.#profiles.set(profile.id, profile);
    return profile;
  }

  /** Add or replace a holiday calendar. */
  addCalendar(spec: HolidayCalendarSpec): HolidayCalendar {
    const calendar = createHolidayCalendar(spec);
    this.#calendars.set(calendar.id, calendar);
    return calendar;
  }

  /** The profile `id`, or `undefined`. */
  find(id: string): RuleProfile | undefined {
    return this.#profiles.get(id);
  }

  /** The profile `id`; throws `E_INVALID_CONFIG` listing the known ids. */
  get(id: string): RuleProfile {
    const profile = this.#profiles.get(id);
    if (!profile) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `campaign.complianceProfile: unknown profile "${id}"; expected one of ${[...this.#profiles.keys()].join(', ')}`,
        {
          issues: [{ path: 'campaign.complianceProfile', message: `unknown profile "${id}"` }],
        },
      );
    }
    return profile;
  }

  /** The calendars a profile names. */
  calendarsOf(profile: RuleProfile): HolidayCalendar[] {
    return profile.holidayCalendars.map((id) => this.#calendars.get(id)).filter((c): c is HolidayCalendar => c !== undefined);
  }

  /** Ids of every profile. */
  ids(): string[] {
    return [...this.#profiles.keys()];
  }
}
