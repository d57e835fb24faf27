import { createParser, type Issue } from '@paceline/core';
import Type, { type Static } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 128, expected: 'a non-empty id of at most 128 characters' });

/** One criterion of a scoring form: what is judged and how much it weighs. */
export const CriterionSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
      expected: 'a short id of lower-case letters, digits and dashes, e.g. "greeting"',
    }),
    label: Type.String({ minLength: 1, maxLength: 120 }),
    /** Relative weight (the total score is the weighted mean). */
    weight: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  },
  { additionalProperties: false },
);

/** A campaign's quality scoring form. */
export const ScoringFormSchema = Type.Object(
  {
    campaignId: Id,
    criteria: Type.Array(CriterionSchema, { minItems: 1, maxItems: 30 }),
  },
  { additionalProperties: false },
);
/** A validated scoring form. */
export type ScoringForm = Static<typeof ScoringFormSchema>;

/** What a coach submits for one call. */
export const CallScoreInputSchema = Type.Object(
  {
    callId: Id,
    campaignId: Id,
    agentId: Id,
    /** Per criterion id: 0 (not met) to 100 (fully met). */
    scores: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 100 })),
    notes: Type.String({ maxLength: 4_000, default: '' }),
    /** Where the call's recording is (a URL or a recording id the host resolves). */
    recording: Type.Optional(Type.String({ minLength: 1, maxLength: 2_048 })),
  },
  { additionalProperties: false },
);
/** A validated call score input. */
export type CallScoreInput = Static<typeof CallScoreInputSchema>;

/** A stored call score: the input plus who scored it, when, and the weighted total (0–100). */
export interface CallScore extends CallScoreInput {
  readonly scoredBy: string;
  readonly at: number;
  readonly total: number;
}

/** Parse a scoring form; throws `E_INVALID_INPUT` naming every bad field (`form.criteria[1].weight: …`). */
export const parseScoringForm = createParser<ScoringForm>(ScoringFormSchema, {
  code: 'E_INVALID_INPUT',
  root: 'form',
  refine: (form) => {
    const seen = new Set<string>();
    const issues: Issue[] = [];
    form.criteria.forEach((c, i) => {
      if (seen.has(c.id))
        issues.push({ path: `form.criteria[${i}].id`, message: `"${c.id}" is used twice; give each criterion its own id` });
      seen.add(c.id);
    });
    return issues;
  },
});

/** Parse a call score (shape only; {@link checkAgainstForm} checks it against the campaign's form). */
export const parseCallScoreInput = createParser<CallScoreInput>(CallScoreInputSchema, { code: 'E_INVALID_INPUT', root: 'score' });

/** Issues of a score against its form: every criterion scored, none unknown. */
export function checkAgainstForm(score: CallScoreInput, form: ScoringForm): Issue[] {
  const issues: Issue[] = [];
  const ids = new Set(form.criteria.map((c) => c.id));
  for (const c of form.criteria) {
    if (score.scores[c.id] === undefined)
      issues.push({ path: `score.scores.${c.id}`, message: `missing: score "${c.label}" from 0 to 100` });
  }
  for (const key of Object.keys(score.scores)) {
    if (!ids.has(key))
      issues.push({ path: `score.scores.${key}`, message: `not a criterion of this campaign's form (${[...ids].join(', ')})` });
  }
  return issues;
}

/** The weighted mean of a score's criteria (0–100). */
export function weightedTotal(scores: Readonly<Record<string, number>>, form: ScoringForm): number {
  let sum = 0;
  let weights = 0;
  for (const c of form.criteria) {
    sum += c.weight * (scores[c.id] ?? 0);
    weights += c.weight;
  }
  return weights === 0 ? 0 : sum / weights;
}
