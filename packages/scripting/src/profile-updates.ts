import type { CustomerProfile } from './profile';
import { parseProfile } from './profile';

/** A captured field value: what an agent typed or chose. */
export type CapturedValue = string | number | boolean;

/**
 * Profile updates captured during a call, keyed by the field path under `profile.`
 * (`email`, `attributes.preferredStore`). The host persists them: the contact centre keeps
 * the customer's data fresh.
 */
export type ProfileUpdates = Readonly<Record<string, CapturedValue>>;

/**
 * A new profile with `updates` applied, validated again (a wrong type throws
 * `E_INVALID_INPUT` naming the field). The input profile is not mutated.
 */
export function applyProfileUpdates(profile: CustomerProfile, updates: ProfileUpdates): CustomerProfile {
  const next: Record<string, unknown> = structuredClone(profile);
  const attributes: Record<string, unknown> = { ...profile.attributes };
  for (const [path, value] of Object.entries(updates)) {
    if (path.startsWith('attributes.')) attributes[path.slice('attributes.'.length)] = value;
    else next[path] = value;
  }
  next.attributes = attributes;
  return parseProfile(next);
}
