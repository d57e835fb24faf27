import type { CallScore, ScoringForm } from './quality-schemas';

/**
 * Where coaching data lives: scoring forms per campaign and scores per call. A port: the
 * in-memory default ({@link createMemoryQualityStore}) suits one process; a host keeps them in
 * its own database by implementing these five methods.
 */
export interface QualityStore {
  putForm(form: ScoringForm): Promise<void>;
  getForm(campaignId: string): Promise<ScoringForm | undefined>;
  /** Store a call's score (a later score of the same call replaces it). */
  putScore(score: CallScore): Promise<void>;
  getScore(callId: string): Promise<CallScore | undefined>;
  /** An agent's scores, newest first, at most `limit`. */
  scoresOfAgent(agentId: string, limit: number): Promise<CallScore[]>;
}

/** Scores the in-memory store keeps (the oldest go first). */
const MAX_SCORES = 100_000;

/** The in-memory {@link QualityStore}: bounded, one per dialer. */
export function createMemoryQualityStore(): QualityStore {
  const forms = new Map<string, ScoringForm>();
  const scores = new Map<string, CallScore>();
  return {
    async putForm(form) {
      forms.set(form.campaignId, structuredClone(form));
    },
    async getForm(campaignId) {
      const form = forms.get(campaignId);
      return form ? structuredClone(form) : undefined;
    },
    async putScore(score) {
      scores.delete(score.callId);
      scores.set(score.callId, structuredClone(score));
      if (scores.size > MAX_SCORES) {
        const oldest = scores.keys().next().value;
        if (oldest !== undefined) scores.delete(oldest);
      }
    },
    async getScore(callId) {
      const score = scores.get(callId);
      return score ? structuredClone(score) : undefined;
    },
    async scoresOfAgent(agentId, limit) {
      const out: CallScore[] = [];
      for (const score of [...scores.values()].reverse()) {
        if (score.agentId !== agentId) continue;
        out.push(structuredClone(score));
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}
