import Type, { type Static } from 'typebox';
import { Defaulted, type InputOf } from './input';

/**
 * A disposition code an agent (or the engine) closes an attempt with, and what it means.
 * The flags drive KPIs and recycling: `humanContact` counts a contact, `sale` counts a sale
 * and produces an order, `dnc` adds the number to the internal do-not-call list, `final`
 * retires the contact, `callback` schedules a callback, `answeringMachine` says the agent reached a
 * machine that call analysis had taken for a person.
 */
export const DispositionSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,31}$', expected: 'an upper-case code such as SALE' }),
    label: Type.String({ minLength: 1 }),
    humanContact: Defaulted(Type.Boolean({ default: true })),
    sale: Defaulted(Type.Boolean({ default: false })),
    dnc: Defaulted(Type.Boolean({ default: false })),
    final: Defaulted(Type.Boolean({ default: false })),
    callback: Defaulted(Type.Boolean({ default: false })),
    // issue-17: the agent heard an answering machine (the detector took it for a person): the
    // call counts as a machine and feeds the campaign's AMD calibration.
    answeringMachine: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A disposition code with its flags. */
export type Disposition = Static<typeof DispositionSchema>;
/** A disposition as a host writes it: the flags default (`humanContact` true, the others false). */
export type DispositionInput = InputOf<typeof DispositionSchema>;

/** The dispositions every campaign starts with unless it defines its own. */
export const DEFAULT_DISPOSITIONS: readonly Disposition[] = [
  { code: 'SALE', label: 'Sale', humanContact: true, sale: true, dnc: false, final: true, callback: false },
  { code: 'SAVED', label: 'Retention save', humanContact: true, sale: false, dnc: false, final: true, callback: false },
  { code: 'NOT_INTERESTED', label: 'Not interested', humanContact: true, sale: false, dnc: false, final: true, callback: false },
  { code: 'CALLBACK', label: 'Callback requested', humanContact: true, sale: false, dnc: false, final: false, callback: true },
  { code: 'DNC', label: 'Do not call', humanContact: true, sale: false, dnc: true, final: true, callback: false },
  { code: 'WRONG_PARTY', label: 'Wrong party', humanContact: false, sale: false, dnc: false, final: false, callback: false },
  { code: 'NO_DECISION', label: 'Contacted, no decision', humanContact: true, sale: false, dnc: false, final: false, callback: false },
  // issue-17: an agent's "answering machine" disposition (the contact is tried again by the recycle rules).
  {
    code: 'ANSWERING_MACHINE',
    label: 'Answering machine',
    humanContact: false,
    sale: false,
    dnc: false,
    final: false,
    callback: false,
    answeringMachine: true,
  },
];
