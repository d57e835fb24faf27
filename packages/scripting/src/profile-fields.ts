import type { FieldInfo } from './condition';
import { LifecycleStageSchema, ValueTierSchema } from './profile';

/** What scripts may do with one profile field. */
export interface ProfileField extends FieldInfo {
  /** Always present in a valid profile (templates need no default for it). */
  readonly required: boolean;
  /** An agent may update it in a capture step (the host owns the others). */
  readonly capturable: boolean;
  /** It can be printed in a template. */
  readonly templatable: boolean;
}

/**
 * The profile fields scripts, conditions and captures can name (`profile.<name>`), the one
 * place that says which are required, printable and writable by an agent.
 */
export const PROFILE_FIELDS: Readonly<Record<string, ProfileField>> = {
  customerId: { type: 'string', required: true, capturable: false, templatable: true },
  firstName: { type: 'string', required: true, capturable: true, templatable: true },
  lastName: { type: 'string', required: false, capturable: true, templatable: true },
  email: { type: 'string', required: false, capturable: true, templatable: true },
  tenureMonths: { type: 'number', required: true, capturable: false, templatable: true },
  monthlySpendMinor: { type: 'number', required: true, capturable: false, templatable: true },
  lifetimeSpendMinor: { type: 'number', required: false, capturable: false, templatable: true },
  currency: { type: 'string', required: false, capturable: false, templatable: true },
  productsHeld: { type: 'string[]', required: true, capturable: false, templatable: true },
  lifecycleStage: { type: 'string', values: LifecycleStageSchema.enum, required: true, capturable: false, templatable: true },
  churnRisk: { type: 'number', required: true, capturable: false, templatable: true },
  valueTier: { type: 'string', values: ValueTierSchema.enum, required: true, capturable: false, templatable: true },
  cancellationReason: { type: 'string', required: false, capturable: true, templatable: true },
  segment: { type: 'string', required: false, capturable: false, templatable: true },
  lastContacts: { type: 'any', required: true, capturable: false, templatable: false },
};

/**
 * Look up `profile.<name>` or `profile.attributes.<key>` (a host attribute: any scalar,
 * possibly absent). Returns the field, or a message listing the known fields.
 */
export function profileField(path: string): ProfileField | string {
  if (!path.startsWith('profile.')) return `expected a path starting with "profile.", got "${path}"`;
  const name = path.slice('profile.'.length);
  if (/^attributes\.[A-Za-z_][\w-]*$/.test(name)) return { type: 'any', required: false, capturable: true, templatable: true };
  const field = Object.hasOwn(PROFILE_FIELDS, name) ? PROFILE_FIELDS[name] : undefined;
  if (field) return field;
  return `unknown profile field "${name}"; known: ${Object.keys(PROFILE_FIELDS).join(', ')}, attributes.<key>`;
}
