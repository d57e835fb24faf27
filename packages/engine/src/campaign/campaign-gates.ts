import { dailySpan, isOpenInZone, type WindowRules } from '@paceline/compliance';
import type { Campaign, Contact } from '@paceline/core';
import type { CampaignRuntime, EngineCore } from '../engine-core';

/** What stops a campaign from dialling for its own sake: its schedule (`startAt`/`endAt`), its daily hours, and a hold. */
export class CampaignGates {
  /** `schedule.hours` of each campaign definition, as window rules (built once per definition). */
  readonly #hours = new WeakMap<Campaign, WindowRules>();

  constructor(readonly core: EngineCore) {}

  /**
   * `schedule.hours`: the campaign's own daily hours in its home time zone (its shift). Outside
   * them it dials nothing and offers no previews; calls in flight go on. The called party's
   * window (`callingWindow` and the profile) is checked per dial on top of this.
   */
  outsideHours(run: CampaignRuntime, now: number): boolean {
    const { hours } = run.campaign.schedule ?? {};
    if (!hours) return false;
    let rules = this.#hours.get(run.campaign);
    if (!rules) {
      rules = { layers: [[dailySpan(hours)]], holidays: [] };
      this.#hours.set(run.campaign, rules);
    }
    if (isOpenInZone(rules, run.campaign.homeTimeZone, now)) return false;
    const reason = `outside the campaign's hours (${hours.start}–${hours.end} ${run.campaign.homeTimeZone})`;
    run.lastDecision = { launch: 0, reason, at: now };
    return true;
  }

  /**
   * `schedule.startAt` / `endAt`: nothing is dialled before the start or from the end on,
   * whatever a timer did (a long timer may fire early on a clock that cannot wait that long).
   * From the end on, the campaign completes once its calls in flight are done.
   */
  outsideSchedule(run: CampaignRuntime, now: number): boolean {
    const { startAt, endAt } = run.campaign.schedule ?? {};
    if (startAt !== undefined && now < startAt) {
      run.lastDecision = { launch: 0, reason: "before the campaign's start (schedule.startAt)", at: now };
      return true;
    }
    if (endAt === undefined || now < endAt) return false;
    run.lastDecision = { launch: 0, reason: 'the campaign has ended (schedule.endAt)', at: now };
    this.core.guard(`end of ${run.campaign.id}`, this.core.parts.campaigns.maybeComplete(run));
    return true;
  }

  /** Put the campaign on hold (once): a refusal for the campaign's sake, e.g. a stale registry copy. */
  hold(run: CampaignRuntime, contact: Contact, phone: string, reasons: readonly string[], messages: readonly string[], now: number): void {
    if (run.hold) return;
    run.hold = { contact, phone, reasons, messages, since: now };
    const campaignId = run.campaign.id;
    this.core.deps.logger.warn({ campaignId, reasons }, `campaign ${campaignId} holds, its contacts kept: ${messages.join('; ')}`);
    this.core.events.emit('campaignHold', { campaignId, held: true, reasons, messages, at: now });
  }

  /** A held campaign re-checks the dial that put it on hold; once that is no longer held, it dials again. */
  stillHeld(run: CampaignRuntime, now: number): boolean {
    const hold = run.hold;
    if (!hold) return false;
    if (this.core.deps.compliance.check(hold.contact, hold.phone, run.campaign, now).held) return true;
    delete run.hold;
    const campaignId = run.campaign.id;
    this.core.deps.logger.info({ campaignId, heldMs: now - hold.since }, `campaign ${campaignId} dials again`);
    this.core.events.emit('campaignHold', { campaignId, held: false, reasons: [], messages: [], at: now });
    return false;
  }
}
