import type { Clock, Store } from '@paceline/core';
import type { AbandonWindow } from '@paceline/pacing';
import type { AmdCalibration } from '../amd-calibration';
import { LEDGER_REFRESH_MS } from '../engine-constants';

/**
 * What the day ledger reads of the engine (a slice of `EngineCore`, named here so the engine core
 * can hold a campaign's ledger without an import cycle).
 */
export interface DayLedgerEngine {
  readonly deps: { readonly clock: Clock };
  readonly store: Pick<Store, 'countLiveAnswers'>;
  readonly amdCalibration: AmdCalibration;
}

/** What the day ledger reads of a campaign's run (a slice of `CampaignRuntime`). */
export interface DayLedgerRun {
  readonly campaign: { readonly id: string };
  /** This process's live answers and abandons so far. */
  readonly liveAnswers: number;
  readonly abandoned: number;
}

/** The last store read of a span's counts, and this process's counters at that read. */
interface DayRead {
  readonly fromMs: number;
  readonly readAt: number;
  readonly liveAnswers: number;
  readonly abandoned: number;
  readonly baseLive: number;
  readonly baseAbandoned: number;
}

/**
 * A campaign's abandon ledger over a span of its calling day (the blend's abandon spread reads
 * it; the governor keeps reading the compliance window's, `AbandonLedger.abandonWindow`): live
 * answers and abandons recorded since `fromMs`. Read from the store (shared by every engine
 * process) at most every `LEDGER_REFRESH_MS`, or at once when the span changes; between reads
 * this process's own live answers and abandons (`run.liveAnswers`, `run.abandoned`) are added,
 * so the spread never sees fewer abandons than happened here. Adjusted for AMD false positives
 * as the window is (Ofcom-style profiles).
 */
export class DayLedger {
  readonly #reads = new WeakMap<DayLedgerRun, DayRead>();

  constructor(readonly core: DayLedgerEngine) {}

  async since(run: DayLedgerRun, fromMs: number): Promise<AbandonWindow> {
    const now = this.core.deps.clock.now();
    let read = this.#reads.get(run);
    if (read === undefined || read.fromMs !== fromMs || now - read.readAt >= LEDGER_REFRESH_MS) {
      const baseLive = run.liveAnswers;
      const baseAbandoned = run.abandoned;
      const counts = await this.core.store.countLiveAnswers(run.campaign.id, fromMs, now + 1);
      read = { fromMs, readAt: now, liveAnswers: counts.liveAnswers, abandoned: counts.abandoned, baseLive, baseAbandoned };
      this.#reads.set(run, read);
    }
    return this.#counts(run, read, now);
  }

  /**
   * The span's counts now without reading the store (issue-23 23-router: the router rule asks
   * between pacing rounds): the last read of the span starting at `fromMs` plus this process's
   * live answers and abandons since. Undefined before the span's first read.
   */
  current(run: DayLedgerRun, fromMs: number): AbandonWindow | undefined {
    const read = this.#reads.get(run);
    return read === undefined || read.fromMs !== fromMs ? undefined : this.#counts(run, read, this.core.deps.clock.now());
  }

  #counts(run: DayLedgerRun, read: DayRead, now: number): AbandonWindow {
    const measured = {
      liveAnswers: read.liveAnswers + Math.max(0, run.liveAnswers - read.baseLive),
      abandoned: read.abandoned + Math.max(0, run.abandoned - read.baseAbandoned),
    };
    const calibration = this.core.amdCalibration;
    const adjusted = calibration.abandonCounts(
      run.campaign.id,
      measured,
      calibration.machineDecisionsIn(run.campaign.id, read.fromMs, now),
    );
    return { liveAnswers: adjusted.liveAnswers, abandoned: adjusted.abandoned, windowMs: Math.max(0, now - read.fromMs) };
  }
}
