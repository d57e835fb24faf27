/**
 * Weights of the agent score. The manuals' incentive rule: one sale counts as five handled
 * service contacts.
 */
export interface AgentScoreWeights {
  /** Per sale. */
  readonly sale: number;
  /** Per retention save (a handled contact unless raised). */
  readonly save: number;
  /** Per other handled human contact (neither sale nor save). */
  readonly contact: number;
}

/** Default weights: sale 5, save 1, other handled contact 1. */
export const DEFAULT_AGENT_SCORE_WEIGHTS: AgentScoreWeights = { sale: 5, save: 1, contact: 1 };

/** The agent score: sales × sale + saves × save + other handled contacts × contact. */
export function agentScore(
  counts: { sales: number; saves: number; otherContacts: number },
  weights: AgentScoreWeights = DEFAULT_AGENT_SCORE_WEIGHTS,
): number {
  return counts.sales * weights.sale + counts.saves * weights.save + counts.otherContacts * weights.contact;
}
