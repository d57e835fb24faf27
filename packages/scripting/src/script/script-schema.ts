import { Id, StringEnum } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { ConditionSchema } from '../condition';

const StepId = Type.String({ pattern: '^[A-Za-z][\\w-]{0,63}$', expected: 'a step id: a letter, then letters, digits, "_" or "-"' });
const DispositionCode = Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,31}$', expected: 'an upper-case disposition code such as SAVED' });
const Text = Type.String({ minLength: 1, maxLength: 4000, expected: 'non-empty text (a template)' });

/** A yes/no answer (a boolean). */
export const YesNoAnswerSchema = Type.Object({ type: Type.Literal('yes-no') }, { additionalProperties: false });
/** One of a list of options (the option's `value`). */
export const ChoiceAnswerSchema = Type.Object(
  {
    type: Type.Literal('choice'),
    options: Type.Array(
      Type.Object({ value: Type.String({ minLength: 1 }), label: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
/** A number, optionally bounded. */
export const NumberAnswerSchema = Type.Object(
  { type: Type.Literal('number'), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) },
  { additionalProperties: false },
);
/** Free text. */
export const TextAnswerSchema = Type.Object(
  { type: Type.Literal('text'), maxLength: Type.Integer({ minimum: 1, maximum: 4000, default: 500 }) },
  { additionalProperties: false },
);
/** A calendar date, `YYYY-MM-DD`. */
export const DateAnswerSchema = Type.Object({ type: Type.Literal('date') }, { additionalProperties: false });

/** The answer schemas by `type`. */
export const ANSWER_SCHEMAS = {
  'yes-no': YesNoAnswerSchema,
  choice: ChoiceAnswerSchema,
  number: NumberAnswerSchema,
  text: TextAnswerSchema,
  date: DateAnswerSchema,
} as const;

/** The typed answer an `ask` (or one field of a `capture`) expects. */
export const AnswerSpecSchema = Type.Union(
  [YesNoAnswerSchema, ChoiceAnswerSchema, NumberAnswerSchema, TextAnswerSchema, DateAnswerSchema],
  {
    expected: 'an answer type: { type: "yes-no" | "choice" | "number" | "text" | "date" }',
  },
);
/** The typed answer a question expects. */
export type AnswerSpec = Static<typeof AnswerSpecSchema>;

/** Read a line to the customer, then go to `next`. */
export const SayStepSchema = Type.Object(
  { id: StepId, kind: Type.Literal('say'), text: Text, next: StepId },
  { additionalProperties: false },
);

/** Ask a question with a typed answer; `captureAs: "profile.email"` also stores it in the profile. */
export const AskStepSchema = Type.Object(
  {
    id: StepId,
    kind: Type.Literal('ask'),
    text: Text,
    answer: AnswerSpecSchema,
    captureAs: Type.Optional(Type.String({ minLength: 1 })),
    next: StepId,
  },
  { additionalProperties: false },
);

/**
 * Present the best-ranked offer of `category` not yet presented on this call. Retention
 * offers are matched to the cancellation reason read from `reasonFrom` (an answer path or
 * `profile.cancellationReason`, the default). No eligible offer left → `onNone` (default `onDecline`).
 */
export const OfferStepSchema = Type.Object(
  {
    id: StepId,
    kind: Type.Literal('offer'),
    text: Text,
    category: StringEnum(['retention', 'cross-sell', 'up-sell', 'any'] as const, { default: 'any' }),
    reasonFrom: Type.Optional(Type.String({ minLength: 1 })),
    onAccept: StepId,
    onDecline: StepId,
    onNone: Type.Optional(StepId),
  },
  { additionalProperties: false },
);

/** Go to the `next` of the first case whose condition holds, else to `otherwise`. Not shown to the agent. */
export const BranchStepSchema = Type.Object(
  {
    id: StepId,
    kind: Type.Literal('branch'),
    cases: Type.Array(Type.Object({ when: ConditionSchema, next: StepId }, { additionalProperties: false }), { minItems: 1 }),
    otherwise: StepId,
  },
  { additionalProperties: false },
);

/** Ask the agent to fill in profile fields (the centre keeps customer data fresh). */
export const CaptureStepSchema = Type.Object(
  {
    id: StepId,
    kind: Type.Literal('capture'),
    text: Type.Optional(Text),
    fields: Type.Array(
      Type.Object(
        {
          field: Type.String({ minLength: 1, expected: 'a profile path such as profile.email or profile.attributes.storeId' }),
          label: Type.String({ minLength: 1 }),
          answer: AnswerSpecSchema,
          required: Type.Boolean({ default: true }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    next: StepId,
  },
  { additionalProperties: false },
);

/** Hand the call to agents with `skills` (an escalation when `escalate`); ends this script. */
export const TransferStepSchema = Type.Object(
  {
    id: StepId,
    kind: Type.Literal('transfer'),
    text: Type.Optional(Text),
    skills: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
    reason: Type.String({ minLength: 1 }),
    escalate: Type.Boolean({ default: false }),
    disposition: Type.Optional(DispositionCode),
  },
  { additionalProperties: false },
);

/** End the script; the agent closes the call with `disposition`. */
export const EndStepSchema = Type.Object(
  { id: StepId, kind: Type.Literal('end'), text: Type.Optional(Text), disposition: DispositionCode },
  { additionalProperties: false },
);

/** The step schemas by `kind`. */
export const STEP_SCHEMAS = {
  say: SayStepSchema,
  ask: AskStepSchema,
  offer: OfferStepSchema,
  branch: BranchStepSchema,
  capture: CaptureStepSchema,
  transfer: TransferStepSchema,
  end: EndStepSchema,
} as const;

/** One step of a script, told apart by `kind`. */
export const StepSchema = Type.Union(
  [SayStepSchema, AskStepSchema, OfferStepSchema, BranchStepSchema, CaptureStepSchema, TransferStepSchema, EndStepSchema],
  {
    expected: 'a step with kind "say", "ask", "offer", "branch", "capture", "transfer" or "end" and that kind\'s fields',
  },
);

/** A call script: steps by id, starting at `start`. */
export const ScriptSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200, expected: 'a name of 1 to 200 characters' }),
    version: Type.Integer({ minimum: 1, default: 1 }),
    start: StepId,
    steps: Type.Array(StepSchema, { minItems: 1, expected: 'at least one step' }),
  },
  { additionalProperties: false },
);

/** A validated script. */
export type Script = Static<typeof ScriptSchema>;
/** One step of a script. */
export type Step = Script['steps'][number];
/** The step kinds. */
export type StepKind = Step['kind'];
/** A step of one kind. */
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;
