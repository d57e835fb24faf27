import Type, { type Static } from 'typebox';
import { CallOutcomeSchema } from './call-outcome';
import { E164, Id, StringEnum, Timestamp } from './common';

/** One dial of one number for one contact in one campaign, and how it ended. */
export const AttemptSchema = Type.Object(
  {
    id: Id,
    campaignId: Id,
    contactId: Id,
    phone: E164,
    callerId: E164,
    startedAt: Timestamp,
    answeredAt: Type.Optional(Timestamp),
    connectedAt: Type.Optional(Timestamp),
    endedAt: Type.Optional(Timestamp),
    outcome: Type.Optional(CallOutcomeSchema),
    /** Call analysis result when the call was answered. */
    amd: Type.Optional(StringEnum(['human', 'machine', 'unknown'] as const)),
    /** A live answer not connected to an agent within 2 s of the greeting's end. */
    abandoned: Type.Boolean({ default: false }),
    agentId: Type.Optional(Id),
    dispositionCode: Type.Optional(Type.String({ minLength: 1 })),
    /** issue-23: `inbound` for a call the contact made to the centre (a returned call); absent = an outbound dial. */
    direction: Type.Optional(StringEnum(['outbound', 'inbound'] as const)),
    /**
     * crash: `false` when the attempt was written before the dial, as every attempt is, but the
     * call never went to the trunk (the launch's writes waited out a slow or restarting store, so
     * the decision was stale, or they failed): it ends `failed`, does not count in the contact's
     * `attempts`, and no `dialed` event was emitted for it. Absent = dialled (or inbound).
     */
    dialled: Type.Optional(Type.Literal(false)),
  },
  { additionalProperties: false },
);
/** A validated attempt. */
export type Attempt = Static<typeof AttemptSchema>;
