import Type, { type Static } from 'typebox';
import { Id } from './common';

/** An agent who takes connected calls. */
export const AgentSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    /** Skills matched against a campaign's needs (language, product line …). */
    skills: Type.Array(Type.String({ minLength: 1 }), { default: [], uniqueItems: true }),
  },
  { additionalProperties: false },
);
/** A validated agent. */
export type Agent = Static<typeof AgentSchema>;
