import Type, { type Static } from 'typebox';
import { DailyWindow, DurationMs, E164, Id, StringEnum, Timestamp, TimeZone } from './common';
import { type DEFAULT_DISPOSITIONS, DispositionSchema } from './disposition';
import { Defaulted, type InputOf } from './input';

/** What a campaign is for. */
export const CampaignGoalSchema = StringEnum(['retention', 'sales', 'survey', 'callback', 'collections'] as const);
/** What a campaign is for. */
export type CampaignGoal = Static<typeof CampaignGoalSchema>;

/**
 * How lines are dialled: `preview` (the agent confirms each call), `progressive` (one line
 * per ready agent), `power` (a fixed number of lines per ready agent), `predictive`
 * (model-based pacing under the abandon governor), `agentless` (messages only).
 */
export const DialModeSchema = StringEnum(['preview', 'progressive', 'power', 'predictive', 'agentless'] as const);
/** How lines are dialled. */
export type DialMode = Static<typeof DialModeSchema>;

/** Pacing options; every field has a safe default. */
export const PacingOptionsSchema = Defaulted(
  Type.Object(
    {
      /** Target abandon rate as a fraction; the governor keeps under it. Regulatory cap: 0.03. */
      abandonTarget: Defaulted(Type.Number({ minimum: 0, maximum: 0.03, default: 0.03, expected: 'a fraction between 0 and 0.03' })),
      /** Upper bound on lines dialled per ready agent. */
      maxLinesPerAgent: Defaulted(Type.Number({ minimum: 1, maximum: 10, default: 3, expected: 'a number between 1 and 10' })),
      /** Lines per ready agent in `power` mode. */
      powerRatio: Defaulted(Type.Number({ minimum: 1, maximum: 10, default: 2, expected: 'a number between 1 and 10' })),
      /** Ring time before no-answer. DESIGN.md: at least 15 s (or 4 rings). */
      ringTimeoutMs: Defaulted(
        Type.Integer({ minimum: 15_000, maximum: 120_000, default: 25_000, expected: 'milliseconds, at least 15000' }),
      ),
      /**
       * Below this many agents at work, predictive acts progressively. Issue 22: the exact
       * small-count model makes predictive pay from 2 agents (the abandon cap still holds).
       */
      minAgentsForPredictive: Defaulted(Type.Integer({ minimum: 1, default: 2 })),
    },
    { additionalProperties: false, default: {} },
  ),
);
/** Pacing options. */
export type PacingOptions = Static<typeof PacingOptionsSchema>;

/** What to do when call analysis says an answering machine picked up. */
export const MachineHandlingSchema = StringEnum(['hangup', 'message', 'agent'] as const, { default: 'hangup' });
/** What to do on a machine answer. */
export type MachineHandling = Static<typeof MachineHandlingSchema>;

/**
 * How a contact is recycled after an attempt ends with a given outcome or disposition code:
 * retried after `retryAfterMs`, unless it has had `maxAttempts` attempts already.
 */
export const RecycleRuleSchema = Type.Object(
  {
    retryAfterMs: DurationMs,
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
/** One recycle rule. */
export type RecycleRule = Static<typeof RecycleRuleSchema>;

/** Default recycle rules keyed by call outcome (busy → 10 min, no-answer → 2 h, machine → next day). */
export const DEFAULT_RECYCLE: Readonly<Record<string, RecycleRule>> = {
  busy: { retryAfterMs: 10 * 60_000 },
  'no-answer': { retryAfterMs: 2 * 3_600_000 },
  machine: { retryAfterMs: 24 * 3_600_000 },
  failed: { retryAfterMs: 30 * 60_000 },
  abandoned: { retryAfterMs: 72 * 3_600_000 },
};

/** When the campaign itself runs, in its home time zone. */
export const ScheduleSchema = Type.Object(
  {
    startAt: Type.Optional(Timestamp),
    endAt: Type.Optional(Timestamp),
    hours: Type.Optional(DailyWindow),
  },
  { additionalProperties: false },
);

/** A campaign definition as a host supplies it. */
export const CampaignSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    goal: CampaignGoalSchema,
    dialMode: DialModeSchema,
    pacing: PacingOptionsSchema,
    /** Compliance rule profile id, e.g. `us-federal`, `uk-ofcom`. */
    complianceProfile: Type.String({ minLength: 1, expected: 'a compliance profile id such as us-federal' }),
    /** Caller ID presented on every attempt (DESIGN.md: a valid, callable number). */
    callerId: E164,
    /** Narrows (never widens) the profile's calling window, in the called party's local time. */
    callingWindow: Type.Optional(DailyWindow),
    scriptId: Type.Optional(Id),
    offerIds: Defaulted(Type.Array(Id, { default: [] })),
    /** Disposition codes; empty or absent means {@link DEFAULT_DISPOSITIONS}. */
    dispositions: Defaulted(Type.Array(DispositionSchema, { default: [] })),
    /** Recycle rules keyed by call outcome (`busy`, `no-answer`, …) or disposition code. */
    recycle: Defaulted(Type.Record(Type.String(), RecycleRuleSchema, { default: {} })),
    /** Attempts per contact over the campaign before it is retired. */
    maxAttempts: Defaulted(Type.Integer({ minimum: 1, maximum: 100, default: 6 })),
    machineHandling: MachineHandlingSchema,
    /** issue-17: answering-machine detection for this campaign; `false` sends every answer to agents. Default on. */
    answeringMachineDetection: Type.Optional(Type.Boolean()),
    schedule: Type.Optional(ScheduleSchema),
    /** The centre's own time zone (schedules, reports, fulfilment cut-offs). */
    homeTimeZone: TimeZone,
  },
  { additionalProperties: false },
);

/** A validated campaign with defaults applied. */
export type Campaign = Static<typeof CampaignSchema>;

/**
 * A campaign as a host writes it: {@link Campaign} with the defaulted fields (`pacing` and each
 * of its fields, `offerIds`, `dispositions`, `recycle`, `maxAttempts`, `machineHandling`) optional.
 */
export type CampaignInput = InputOf<typeof CampaignSchema>;
