import type { Campaign } from '@paceline/core';
import type { FloorEventSource } from './agent-floor';
import { dayKeyIn } from './day-key';

/** Minutes kept for the volume counts (one hour, one bucket a minute). */
const VOLUME_MINUTES = 60;
const MINUTE_MS = 60_000;

/** The last refusals for the calling window since the campaign last dialled. */
export interface WindowRefusal {
  /** When the earliest of those contacts may be called (epoch ms). */
  readonly until: number;
  /** That contact's candidate time zones (the window is their intersection). */
  readonly timeZones: readonly string[];
  /** Refusals for the window since the last dial. */
  readonly count: number;
  readonly at: number;
}

/** What the floor keeps per campaign beyond `dialer.status()`. */
export interface CampaignFloorFacts {
  readonly campaignId: string;
  /** Compliance refusals today, by reason code. */
  readonly refusalsByReason: Readonly<Record<string, number>>;
  /** Dispositions today, by code. */
  readonly dispositions: Readonly<Record<string, number>>;
  /** Dials in the last 60 minutes. */
  readonly dialsLastHour: number;
  /** Inbound calls matched to this campaign (customers returning its calls) that entered a queue in the last 60 minutes. */
  readonly inboundLastHour: number;
  /** Live answers today (answered and classified human). */
  readonly liveAnswers: number;
  /** When the campaign last dialled (epoch ms). */
  readonly lastDialAt?: number;
  /** Set while every refusal since the last dial was for the calling window (or a holiday). */
  readonly windowRefusal?: WindowRefusal;
}

interface Tracked {
  day: string;
  refusals: Map<string, number>;
  dispositions: Map<string, number>;
  /** Dials per minute, ring of VOLUME_MINUTES buckets keyed by minute number. */
  volume: Array<{ minute: number; count: number }>;
  /** Returned inbound calls per minute, the same ring. */
  inbound: Array<{ minute: number; count: number }>;
  liveAnswers: number;
  lastDialAt?: number;
  windowRefusal?: WindowRefusal;
  otherRefusalSinceDial: boolean;
}

/**
 * Per-campaign facts of the floor, from the dialer's events (`dialed`, `analysed`,
 * `dispositioned`, `complianceRefused`, `inbound.queued`): refusals by reason, dispositions,
 * dials and returned inbound calls in the last hour, and whether the calling window is what
 * stops the dials. Counters are today's, in
 * `timeZone`; memory is bounded.
 */
export class CampaignFloor {
  readonly #campaigns = new Map<string, Tracked>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #dayKey: (at: number) => string;
  readonly #now: () => number;

  constructor(options: { events: FloorEventSource; now: () => number; timeZone?: string }) {
    this.#now = options.now;
    this.#dayKey = dayKeyIn(options.timeZone);
    const e = options.events;
    this.#unsubscribe.push(
      e.on('dialed', (ev) => {
        const t = this.#tracked(ev.campaignId, ev.attempt.startedAt);
        countMinute(t.volume, ev.attempt.startedAt);
        t.lastDialAt = ev.attempt.startedAt;
        delete t.windowRefusal;
        t.otherRefusalSinceDial = false;
      }),
      // A caller's first queue only (an overflow is the same call); service calls belong to no campaign.
      e.on('inbound.queued', (ev) => {
        if (ev.from === undefined && ev.caller.kind === 'returned') countMinute(this.#tracked(ev.caller.campaignId, ev.at).inbound, ev.at);
      }),
      e.on('analysed', (ev) => {
        if (ev.result === 'human') this.#tracked(ev.campaignId, ev.at).liveAnswers++;
      }),
      e.on('dispositioned', (ev) => {
        const t = this.#tracked(ev.campaignId, this.#now());
        t.dispositions.set(ev.code, (t.dispositions.get(ev.code) ?? 0) + 1);
      }),
      e.on('complianceRefused', (ev) => {
        const t = this.#tracked(ev.campaignId, ev.at);
        for (const reason of ev.reasons) t.refusals.set(reason, (t.refusals.get(reason) ?? 0) + 1);
        const windowOnly = ev.reasons.length > 0 && ev.reasons.every((r) => r === 'outside-window' || r === 'holiday');
        if (!windowOnly || ev.nextAllowedAt === undefined) {
          t.otherRefusalSinceDial = true;
          return;
        }
        const previous = t.windowRefusal;
        const earlier = previous === undefined || ev.nextAllowedAt < previous.until;
        t.windowRefusal = {
          until: earlier ? ev.nextAllowedAt : previous.until,
          timeZones: earlier ? (ev.timeZones ?? []) : previous.timeZones,
          count: (previous?.count ?? 0) + 1,
          at: ev.at,
        };
      }),
    );
  }

  /** Follow a campaign from now on (campaigns are also picked up from their first event). */
  track(campaign: Campaign): void {
    this.#tracked(campaign.id, this.#now());
  }

  /** Today's facts of a campaign. */
  facts(campaignId: string): CampaignFloorFacts {
    const now = this.#now();
    const t = this.#tracked(campaignId, now);
    return {
      campaignId,
      refusalsByReason: Object.fromEntries(t.refusals),
      dispositions: Object.fromEntries(t.dispositions),
      dialsLastHour: lastHour(t.volume, now),
      inboundLastHour: lastHour(t.inbound, now),
      liveAnswers: t.liveAnswers,
      ...(t.lastDialAt === undefined ? {} : { lastDialAt: t.lastDialAt }),
      ...(t.windowRefusal && !t.otherRefusalSinceDial ? { windowRefusal: t.windowRefusal } : {}),
    };
  }

  /** Stop following the dialer. */
  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  #tracked(campaignId: string, at: number): Tracked {
    const day = this.#dayKey(at);
    let t = this.#campaigns.get(campaignId);
    if (!t) {
      t = { day, refusals: new Map(), dispositions: new Map(), volume: [], inbound: [], liveAnswers: 0, otherRefusalSinceDial: false };
      this.#campaigns.set(campaignId, t);
    }
    if (t.day !== day) {
      t.day = day;
      t.refusals.clear();
      t.dispositions.clear();
      t.liveAnswers = 0;
    }
    return t;
  }
}

/** Count one event at `at` in a ring of per-minute buckets. */
function countMinute(ring: Array<{ minute: number; count: number }>, at: number): void {
  const minute = Math.floor(at / MINUTE_MS);
  const slot = ring[minute % VOLUME_MINUTES];
  if (slot && slot.minute === minute) slot.count++;
  else ring[minute % VOLUME_MINUTES] = { minute, count: 1 };
}

/** The events of a ring in the 60 minutes up to `now`. */
function lastHour(ring: ReadonlyArray<{ minute: number; count: number } | undefined>, now: number): number {
  const minuteNow = Math.floor(now / MINUTE_MS);
  let total = 0;
  for (const slot of ring) if (slot && minuteNow - slot.minute < VOLUME_MINUTES) total += slot.count;
  return total;
}
