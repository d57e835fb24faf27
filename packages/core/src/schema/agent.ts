import Type, { type Static } from 'typebox';
import { Id } from './common';
import { Defaulted, type InputOf } from './input';

/** An agent who takes connected calls. */
export const AgentSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    /** Skills matched against a campaign's needs (language, product line …). */
    skills: Defaulted(Type.Array(Type.String({ minLength: 1 }), { default: [], uniqueItems: true })),
  },
  { additionalProperties: false },
);
/** A validated agent. */
export type Agent = Static<typeof AgentSchema>;

/** An agent as a host writes it: {@link Agent} with `skills` optional. */
export type AgentInput = InputOf<typeof AgentSchema>;
