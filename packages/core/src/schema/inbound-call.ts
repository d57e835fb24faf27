import Type, { type Static } from 'typebox';
import { E164, Id, StringEnum, Timestamp } from './common';

/**
 * issue-23: one inbound call as the inbound call ledger keeps it — every call the dialer
 * answered or refused, returned or service. A returned call's talk is also an `Attempt`
 * (`direction: 'inbound'`, linked by `attemptId`); a service call (unknown or withheld caller,
 * no contact) has only this record, so the agent's day and the scorecard count it from here.
 *
 * ```
 *  arrivedAt ──► queuedAt ──► connectedAt ──► endedAt ──► wrapEndedAt   outcome: answered
 *                   └──────────────► endedAt                            outcome: abandoned (a queue abandon)
 *  arrivedAt (no queue answers the number)                              outcome: refused
 * ```
 */
export const InboundCallSchema = Type.Object(
  {
    /** The trunk's call id. */
    id: Id,
    /** Who called: a campaign contact returning a call, or a service caller (unknown or withheld number). */
    caller: StringEnum(['returned', 'service'] as const),
    /** The caller's number; absent when withheld. */
    from: Type.Optional(E164),
    /** The number the caller dialled (a service line or a campaign's caller ID). */
    to: E164,
    /** The queue that took the call (the last one, after an overflow); absent when refused. */
    queueId: Type.Optional(Id),
    /** A returned call: the campaign, the contact and the attempt of the call. */
    campaignId: Type.Optional(Id),
    contactId: Type.Optional(Id),
    attemptId: Type.Optional(Id),
    arrivedAt: Timestamp,
    queuedAt: Type.Optional(Timestamp),
    connectedAt: Type.Optional(Timestamp),
    endedAt: Type.Optional(Timestamp),
    /** When the agent finished wrap-up (the disposition). */
    wrapEndedAt: Type.Optional(Timestamp),
    /** Queue entry → agent connected (answered) or → hang-up (abandoned), ms. */
    waitMs: Type.Optional(Type.Number({ minimum: 0 })),
    agentId: Type.Optional(Id),
    /** `answered`: reached an agent; `abandoned`: hung up waiting (a queue abandon); `refused`: no queue answers the number. Absent while in progress. */
    outcome: Type.Optional(StringEnum(['answered', 'abandoned', 'refused'] as const)),
    dispositionCode: Type.Optional(Type.String({ minLength: 1 })),
    /** The call ended in a sale (a campaign sale code, or an order handed to fulfilment). */
    sale: Type.Optional(Type.Boolean()),
    /** The order handed to fulfilment on this call. */
    orderId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
/** One inbound call of the inbound call ledger. */
export type InboundCall = Static<typeof InboundCallSchema>;
