import { PacelineError } from '@paceline/core';
import {
  type CallScore,
  checkAgainstForm,
  parseCallScoreInput,
  parseScoringForm,
  type ScoringForm,
  weightedTotal,
} from './quality-schemas';
import type { QualityStore } from './quality-store';

/** An agent's quality scorecard: the average and per-criterion means over the latest scores. */
export interface QualityScorecard {
  readonly agentId: string;
  readonly scored: number;
  /** Mean weighted total, 0–100; undefined before any score. */
  readonly average?: number;
  /** Mean per criterion id, 0–100. */
  readonly byCriterion: Readonly<Record<string, number>>;
  /** The latest scores, newest first (notes and recording links included). */
  readonly scores: readonly CallScore[];
}

/** Scores kept in a scorecard. */
const SCORECARD_SCORES = 200;

/**
 * Coaching and quality: a scoring form per campaign (criteria and weights) and a score with
 * notes per call, linked to its recording, validated at the boundary (`E_INVALID_INPUT` with the
 * bad field's path) and kept in a {@link QualityStore}.
 */
export class QualityDesk {
  constructor(
    readonly store: QualityStore,
    readonly options: { now: () => number; recordingOf?: (callId: string) => string | undefined },
  ) {}

  /** Set a campaign's scoring form. */
  async setForm(input: unknown): Promise<ScoringForm> {
    const form = parseScoringForm(input);
    await this.store.putForm(form);
    return form;
  }

  /** A campaign's scoring form, if it has one. */
  form(campaignId: string): Promise<ScoringForm | undefined> {
    return this.store.getForm(campaignId);
  }

  /** Score a call against its campaign's form. `scoredBy` names the coach (a session fingerprint, a user id). */
  async score(input: unknown, scoredBy: string): Promise<CallScore> {
    const parsed = parseCallScoreInput(input);
    const form = await this.store.getForm(parsed.campaignId);
    if (!form) {
      throw new PacelineError('E_NOT_FOUND', `score.campaignId: campaign "${parsed.campaignId}" has no scoring form yet; set one first`);
    }
    const issues = checkAgainstForm(parsed, form);
    if (issues.length > 0) {
      throw new PacelineError('E_INVALID_INPUT', `invalid score: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
    }
    const recording = parsed.recording ?? this.options.recordingOf?.(parsed.callId);
    const score: CallScore = {
      ...parsed,
      ...(recording === undefined ? {} : { recording }),
      scoredBy,
      at: this.options.now(),
      total: weightedTotal(parsed.scores, form),
    };
    await this.store.putScore(score);
    return score;
  }

  /** An agent's scorecard over the latest scores. */
  async scorecard(agentId: string): Promise<QualityScorecard> {
    const scores = await this.store.scoresOfAgent(agentId, SCORECARD_SCORES);
    const sums = new Map<string, { sum: number; n: number }>();
    let total = 0;
    for (const s of scores) {
      total += s.total;
      for (const [id, value] of Object.entries(s.scores)) {
        const entry = sums.get(id) ?? { sum: 0, n: 0 };
        entry.sum += value;
        entry.n++;
        sums.set(id, entry);
      }
    }
    return {
      agentId,
      scored: scores.length,
      ...(scores.length > 0 ? { average: total / scores.length } : {}),
      byCriterion: Object.fromEntries([...sums].map(([id, e]) => [id, e.sum / e.n])),
      scores,
    };
  }
}
