import { Id, StringEnum, TimeOfDay, TimeZone, Weekday } from '@paceline/core';
import Type, { type Static, type TOptional } from 'typebox';

/** A local calendar date, `YYYY-MM-DD`. */
const LocalDate = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', expected: 'a date YYYY-MM-DD' });

/** An annual date, `MM-DD`. */
const AnnualDate = Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', expected: 'an annual date MM-DD' });

/** A window of local time on one day, `start` before `end`. */
const LocalWindow = Type.Object({ start: TimeOfDay, end: TimeOfDay }, { additionalProperties: false });

/** The delivery outcomes a courier or store reports back. */
export const DELIVERY_RESULTS = ['delivered-paid', 'not-at-home', 'refused', 'wrong-address', 'damaged'] as const;

/** One delivery outcome: delivered and paid, or why it failed. */
export type DeliveryResultKind = (typeof DELIVERY_RESULTS)[number];

/** Which days the centre and the delivery team work; hand-offs happen on working days only. */
export const WorkingCalendarSchema = Type.Object(
  {
    /** ISO weekdays (1 = Monday … 7 = Sunday) on which hand-offs happen. */
    workingDays: Type.Array(Weekday, { minItems: 1, uniqueItems: true, default: [1, 2, 3, 4, 5] }),
    /** Non-working dates every year, `MM-DD` (e.g. `12-25`). */
    annualHolidays: Type.Array(AnnualDate, { default: [] }),
    /** One-off non-working dates, `YYYY-MM-DD` (Easter, substitute days). */
    holidays: Type.Array(LocalDate, { default: [] }),
  },
  { additionalProperties: false, default: {} },
);
/** A validated working calendar. */
export type WorkingCalendar = Static<typeof WorkingCalendarSchema>;

/**
 * A delivery round: orders taken before its `cutoff` (and after the previous round's) go to
 * the delivery team at `handOffAt`; the courier then books a slot with the customer in
 * `slotBooking`, and delivers `deliveryDays` working days after the hand-off.
 */
export const DeliveryRoundSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    /** Local time; an order taken strictly before it (on a working day) makes this round. */
    cutoff: TimeOfDay,
    /** Local time, at or after `cutoff`, by which the orders are with the delivery team. */
    handOffAt: TimeOfDay,
    /** Local window after the hand-off in which the courier books a slot with the customer. */
    slotBooking: LocalWindow,
    /** Working days from the hand-off day to the delivery day: 0 = same day, 1 = next day. */
    deliveryDays: Type.Integer({ minimum: 0, maximum: 14, expected: 'a number of working days, 0 to 14' }),
    /** Local window of the delivery day in which the courier comes; absent = any time that day. */
    deliveryWindow: Type.Optional(LocalWindow),
  },
  { additionalProperties: false },
);
/** A validated delivery round. */
export type DeliveryRound = Static<typeof DeliveryRoundSchema>;

/** The two rounds of the operating manuals (see docs/fulfilment.md). */
export const DEFAULT_ROUNDS: readonly DeliveryRound[] = [
  {
    id: 'next-day',
    name: 'Next-day delivery',
    // orders taken 11:00–17:00 go to the delivery team by 17:30; courier books 17:30–18:00
    cutoff: '17:00',
    handOffAt: '17:30',
    slotBooking: { start: '17:30', end: '18:00' },
    deliveryDays: 1,
  },
  {
    id: 'afternoon',
    name: 'Afternoon delivery',
    // orders taken 17:00–11:00 (next day) go by 11:30 for delivery that afternoon; booking 11:30–12:00
    cutoff: '11:00',
    handOffAt: '11:30',
    slotBooking: { start: '11:30', end: '12:00' },
    deliveryDays: 0,
    deliveryWindow: { start: '12:00', end: '18:00' },
  },
];

/** A delivery zone: the postal codes it covers and the rounds that serve it. */
export const DeliveryZoneSchema = Type.Object(
  {
    id: Id,
    /** ISO 3166-1 alpha-2 countries the zone covers; absent = any. */
    countries: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}$', expected: 'an ISO 3166-1 alpha-2 code' }))),
    /** Postal-code prefixes; the longest matching prefix over all zones wins. Empty string = the rest. */
    postalCodePrefixes: Type.Array(Type.String(), { minItems: 1 }),
    /** Ids of the rounds that deliver here; absent = every round. */
    rounds: Type.Optional(Type.Array(Id, { minItems: 1 })),
  },
  { additionalProperties: false },
);
/** A validated delivery zone. */
export type DeliveryZone = Static<typeof DeliveryZoneSchema>;

/** A store or VIP room where customers collect orders, with bookable slots. */
export const PickupLocationSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    kind: StringEnum(['store', 'vip-room'] as const, { default: 'store' }),
    /** Where to go, as told to the customer. */
    address: Type.String({ minLength: 1 }),
    /** The location's zone; absent = the centre's. */
    timeZone: Type.Optional(TimeZone),
    /** Local opening hours on open days; slots tile this window. */
    openingHours: LocalWindow,
    /** ISO weekdays the location is open; absent = the centre's working days. */
    openDays: Type.Optional(Type.Array(Weekday, { minItems: 1, uniqueItems: true })),
    /** Length of one pickup slot, minutes. */
    slotMinutes: Type.Integer({ minimum: 5, maximum: 480, default: 30 }),
    /** Customers per slot. */
    capacityPerSlot: Type.Integer({ minimum: 1, default: 4 }),
  },
  { additionalProperties: false },
);
/** A validated pickup location. */
export type PickupLocation = Static<typeof PickupLocationSchema>;

/**
 * A department's operational-level agreement: what it accepts, what it needs, how fast it
 * answers, who tells the customer, and when a supervisor steps in.
 */
export const DepartmentSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    /** Topics the department accepts (e.g. `damaged`, `refused`). */
    topics: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    /** Fields an escalation must carry (`orderId`, `address`, `note`, …); missing ones are flagged. */
    requiredInfo: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    /** Agreed response time, minutes from opening the escalation. */
    responseMinutes: Type.Integer({ minimum: 1, expected: 'a response time in minutes, at least 1' }),
    /** Who informs the customer of the outcome. */
    informsCustomer: StringEnum(['department', 'contact-centre'] as const, { default: 'contact-centre' }),
    /** Minutes after opening at which an unresolved escalation goes to a supervisor; absent = never. */
    supervisorAfterMinutes: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
/** A validated department with its operational-level agreement. */
export type Department = Static<typeof DepartmentSchema>;

/** What a delivery result leads to: a callback for an agent, an escalation, both or neither. */
export const FollowUpRuleSchema = Type.Object(
  {
    callback: Type.Optional(
      Type.Object(
        {
          /** Minutes after the result is reported at which the callback is due. */
          delayMinutes: Type.Integer({ minimum: 0 }),
          /** Shown to the agent who takes the callback. */
          reason: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    escalation: Type.Optional(
      Type.Object(
        {
          /** A department id. */
          department: Id,
          /** One of the department's topics. */
          topic: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
/** A validated follow-up rule. */
export type FollowUpRule = Static<typeof FollowUpRuleSchema>;

/** Default departments (see docs/fulfilment.md); hosts replace them with their own agreements. */
export const DEFAULT_DEPARTMENTS: readonly Department[] = [
  {
    id: 'logistics',
    name: 'Logistics',
    topics: ['damaged', 'wrong-address', 'redelivery'],
    requiredInfo: ['orderId', 'address', 'result'],
    responseMinutes: 240,
    informsCustomer: 'department',
    supervisorAfterMinutes: 480,
  },
  {
    id: 'customer-care',
    name: 'Customer care',
    topics: ['refused', 'complaint'],
    requiredInfo: ['orderId', 'contactId', 'result'],
    responseMinutes: 1440,
    informsCustomer: 'contact-centre',
    supervisorAfterMinutes: 2880,
  },
];

/** Default follow-ups per delivery result. */
export const DEFAULT_FOLLOW_UPS: Readonly<Record<DeliveryResultKind, FollowUpRule>> = {
  'delivered-paid': {},
  'not-at-home': { callback: { delayMinutes: 60, reason: 'Not at home for the delivery: agree a new delivery slot.' } },
  'wrong-address': { callback: { delayMinutes: 15, reason: 'The courier could not find the address: confirm the delivery address.' } },
  refused: { callback: { delayMinutes: 240, reason: 'The customer refused the delivery: find out why and try to save the sale.' } },
  damaged: { escalation: { department: 'logistics', topic: 'damaged' } },
};

/** Configuration of a fulfilment desk. Only `timeZone` is required; the rest defaults to the manuals. */
export const FulfilmentConfigSchema = Type.Object(
  {
    /** The centre's IANA zone: cut-offs, hand-offs and the calendar are read in it. */
    timeZone: TimeZone,
    /** BCP 47 locale of customer messages. */
    locale: Type.String({ minLength: 2, default: 'en-GB' }),
    calendar: WorkingCalendarSchema,
    rounds: Type.Array(DeliveryRoundSchema, { minItems: 1, default: DEFAULT_ROUNDS, expected: 'at least one round' }),
    zones: Type.Array(DeliveryZoneSchema, { default: [] }),
    pickup: Type.Object(
      {
        /** Minutes between taking an order and its first bookable pickup slot (picking, packing). */
        leadMinutes: Type.Integer({ minimum: 0, default: 120 }),
        /** How far ahead a slot is searched for, days. */
        horizonDays: Type.Integer({ minimum: 1, maximum: 90, default: 14 }),
        locations: Type.Array(PickupLocationSchema, { default: [] }),
      },
      { additionalProperties: false, default: {} },
    ),
    departments: Type.Array(DepartmentSchema, { default: DEFAULT_DEPARTMENTS }),
    /** Follow-up per delivery result; a result not listed gets the default rule. */
    followUps: Type.Object(
      Object.fromEntries(DELIVERY_RESULTS.map((r) => [r, Type.Optional(FollowUpRuleSchema)])) as Record<
        DeliveryResultKind,
        TOptional<typeof FollowUpRuleSchema>
      >,
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
/** A validated fulfilment configuration (defaults applied). */
export type FulfilmentConfig = Static<typeof FulfilmentConfigSchema>;

/** What a host writes: only `timeZone` is required. */
export type FulfilmentConfigInput = Partial<Omit<FulfilmentConfig, 'timeZone' | 'calendar' | 'pickup'>> & {
  readonly timeZone: string;
  readonly calendar?: Partial<WorkingCalendar>;
  readonly pickup?: Partial<FulfilmentConfig['pickup']>;
};
