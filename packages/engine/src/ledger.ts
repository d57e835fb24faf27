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
  async abandonWindow(run: CampaignRuntime): Promise<{ liveAnswers: number; abandoned: number; windowMs: number }> {
    const windowMs = this.core.deps.compliance.abandonWindowMs(run.campaign);
    const now = this.core.deps.clock.now();
    if (!run.ledger || now - run.ledger.readAt >= LEDGER_REFRESH_MS) {
      const counts = await this.core.store.countLiveAnswers(run.campaign.id, now - windowMs, now + 1);
      run.ledger = { readAt: now, ...counts };
    }
    // Ofcom-style profiles: the governor paces on counts that include estimated AMD false positives.
    const calibration = this.core.amdCalibration;
    const adjusted = calibration.abandonCounts(
      run.campaign.id,
      run.ledger,
      calibration.machineDecisionsIn(run.campaign.id, now - windowMs, now),
    ); // issue-17: revised machines are taken out of the store's ledger itself (`machineAnswer`)
    return { liveAnswers: adjusted.liveAnswers, abandoned: adjusted.abandoned, windowMs };
  }

  /** Count a live answer (and whether it was abandoned) here at once, and in the shared ledger in the call's writes. */
  liveAnswer(call: CallRuntime, abandoned: boolean, at: number): void {
    call.run.liveAnswers++;
    if (abandoned) call.run.abandoned++;
    if (call.run.ledger) {
      call.run.ledger.liveAnswers++;
      if (abandoned) call.run.ledger.abandoned++;
    }
    const entry = { campaignId: call.run.campaign.id, attemptId: call.attempt.id, at, abandoned };
    this.core.parts.writes.persist(call, 'abandon ledger', () => this.core.store.recordLiveAnswer(entry));
  }

  /**
   * issue-17: a call counted as a (connected) live answer at `at` was a machine: it stops counting here at
   * once and, for every process reading the store, in the shared ledger (its entry re-recorded
   * as a machine, behind the call's earlier writes).
   */
  machineAnswer(call: CallRuntime, at: number): void {
    const ledger = call.run.ledger;
    if (ledger) ledger.liveAnswers = Math.max(ledger.abandoned, ledger.liveAnswers - 1);
    const entry = { campaignId: call.run.campaign.id, attemptId: call.attempt.id, at, abandoned: false, machine: true };
    this.core.parts.writes.persist(call, 'abandon ledger revision', () => this.core.store.recordLiveAnswer(entry));
  }
}
