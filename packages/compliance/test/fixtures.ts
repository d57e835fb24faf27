import { type Campaign, type Contact, parseCampaign, parseContact } from '@paceline/core';
import type { DncHit, DncLookup, RegistryCopyInfo } from '../src/index';

/** A campaign with `profile`, validated like a host's. */
export function campaign(profile: string, extra: Record<string, unknown> = {}): Campaign {
  return parseCampaign({
    id: 'camp-1',
    name: 'Retention',
    goal: 'retention',
    dialMode: 'predictive',
    complianceProfile: profile,
    callerId: '+14155550100',
    homeTimeZone: 'America/Chicago',
    ...extra,
  });
}

/** A contact with one phone and the given zones / state. */
export function contact(phone: string, extra: Record<string, unknown> = {}): Contact {
  return parseContact({ id: 'p-1', key: 'cust-1', phones: [{ number: phone }], ...extra });
}

/** A DNC lookup over a fixed set of numbers and registry copies. */
export function dncOf(numbers: Iterable<string>, registries: RegistryCopyInfo[] = []): DncLookup {
  const set = new Set(numbers);
  return {
    find: (phone): DncHit[] => (set.has(phone) ? [{ list: 'internal', name: 'internal', reason: 'asked during a call' }] : []),
    registries: () => registries,
  };
}

/** Epoch ms of a UTC wall time. */
export function utc(y: number, mo: number, d: number, h = 0, mi = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi);
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
