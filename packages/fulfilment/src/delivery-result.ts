import { createParser, Id, type Parser, StringEnum, Timestamp } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { DELIVERY_RESULTS } from './config-schema';

/** A delivery result as a courier, store or the host's order system reports it. */
export const DeliveryResultInputSchema = Type.Object(
  {
    /** The reporter's id for this result; a repeated id is recorded once. */
    id: Type.Optional(Id),
    orderId: Id,
    result: StringEnum(DELIVERY_RESULTS),
    /** When it happened, epoch ms; default: when it is recorded. */
    at: Type.Optional(Timestamp),
    /** The courier's note, shown to the agent or department. */
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Who reported it (courier, store, system). */
    reportedBy: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
/** A delivery result before validation defaults. */
export type DeliveryResultInput = Static<typeof DeliveryResultInputSchema>;

/** A recorded delivery result. */
export interface DeliveryResult extends DeliveryResultInput {
  readonly at: number;
}

/** Validate a delivery result. Throws `E_INVALID_INPUT` listing every problem with its path. */
export const parseDeliveryResult: Parser<DeliveryResultInput> = createParser<DeliveryResultInput>(DeliveryResultInputSchema, {
  code: 'E_INVALID_INPUT',
  root: 'deliveryResult',
});
