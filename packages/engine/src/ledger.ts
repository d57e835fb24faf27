import { LEDGER_REFRESH_MS } from './engine-constants';
import type { CallRuntime, CampaignRuntime, EngineCore } from './engine-core';

/** The campaign's abandon ledger: live answers and abandons over the compliance window, shared through the store. */
export class AbandonLedger {
  constructor(readonly core: EngineCore) {}

  /**
   * The campaign's abandon ledger over the compliance window. Read from the store (shared by
   * every engine process) at most every `LEDGER_REFRESH_MS`; between reads this process adds
   * its own live answers, so the governor never sees fewer abandons than happened here.
   */
  async abandonWindow(rt: CampaignRuntime): Promise<{ liveAnswers: number; abandoned: number; windowMs: number }> {
    const windowMs = this.core.deps.compliance.abandonWindowMs(rt.campaign);
    const now = this.core.deps.clock.now();
    if (!rt.ledger || now - rt.ledger.readAt >= LEDGER_REFRESH_MS) {
      const counts = await this.core.store.countLiveAnswers(rt.campaign.id, now - windowMs, now + 1);
      rt.ledger = { readAt: now, ...counts };
    }
    // Ofcom-style profiles: the governor paces on counts that include estimated AMD false positives.
    const calibration = this.core.amdCalibration;
    const adjusted = calibration.abandonCounts(
      rt.campaign.id,
      rt.ledger,
      calibration.machineDecisionsIn(rt.campaign.id, now - windowMs, now),
    );
    return { liveAnswers: adjusted.liveAnswers, abandoned: adjusted.abandoned, windowMs };
  }

  /** Count a live answer (and whether it was abandoned) here at once, and in the shared ledger in the call's writes. */
  liveAnswer(call: CallRuntime, abandoned: boolean, at: number): void {
    call.rt.liveAnswers++;
    if (abandoned) call.rt.abandoned++;
    if (call.rt.ledger) {
      call.rt.ledger.liveAnswers++;
      if (abandoned) call.rt.ledger.abandoned++;
    }
    const entry = { campaignId: call.rt.campaign.id, attemptId: call.attempt.id, at, abandoned };
    this.core.parts.writes.persist(call, 'abandon ledger', () => this.core.store.recordLiveAnswer(entry));
  }
}
