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
  outsideHours(rt: CampaignRuntime, now: number): boolean {
    const { hours } = rt.campaign.schedule ?? {};
    if (!hours) return false;
    let rules = this.#hours.get(rt.campaign);
    if (!rules) {
      rules = { layers: [[dailySpan(hours)]], holidays: [] };
      this.#hours.set(rt.campaign, rules);
    }
    if (isOpenInZone(rules, rt.campaign.homeTimeZone, now)) return false;
    const reason = `outside the campaign's hours (${hours.start}–${hours.end} ${rt.campaign.homeTimeZone})`;
    rt.lastDecision = { launch: 0, reason, at: now };
    return true;
  }

  /**
   * `schedule.startAt` / `endAt`: nothing is dialled before the start or from the end on,
   * whatever a timer did (a long timer may fire early on a clock that cannot wait that long).
   * From the end on, the campaign completes once its calls in flight are done.
   */
  outsideSchedule(rt: CampaignRuntime, now: number): boolean {
    const { startAt, endAt } = rt.campaign.schedule ?? {};
    if (startAt !== undefined && now < startAt) {
      rt.lastDecision = { launch: 0, reason: "before the campaign's start (schedule.startAt)", at: now };
      return true;
    }
    if (endAt === undefined || now < endAt) return false;
    rt.lastDecision = { launch: 0, reason: 'the campaign has ended (schedule.endAt)', at: now };
    this.core.guard(`end of ${rt.campaign.id}`, this.core.parts.campaigns.maybeComplete(rt));
    return true;
  }

  /** Put the campaign on hold (once): a refusal for the campaign's sake, e.g. a stale registry copy. */
  hold(rt: CampaignRuntime, contact: Contact, phone: string, reasons: readonly string[], messages: readonly string[], now: number): void {
    if (rt.hold) return;
    rt.hold = { contact, phone, reasons, messages, since: now };
    const campaignId = rt.campaign.id;
    this.core.deps.logger.warn({ campaignId, reasons }, `campaign ${campaignId} holds, its contacts kept: ${messages.join('; ')}`);
    this.core.events.emit('campaignHold', { campaignId, held: true, reasons, messages, at: now });
  }

  /** A held campaign re-checks the dial that put it on hold; once that is no longer held, it dials again. */
  stillHeld(rt: CampaignRuntime, now: number): boolean {
    const hold = rt.hold;
    if (!hold) return false;
    if (this.core.deps.compliance.check(hold.contact, hold.phone, rt.campaign, now).held) return true;
    delete rt.hold;
    const campaignId = rt.campaign.id;
    this.core.deps.logger.info({ campaignId, heldMs: now - hold.since }, `campaign ${campaignId} dials again`);
    this.core.events.emit('campaignHold', { campaignId, held: false, reasons: [], messages: [], at: now });
    return false;
  }
}
