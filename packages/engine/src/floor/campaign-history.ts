/** One point of a campaign's history, taken at a fixed interval of the floor's clock. */
export interface HistoryPoint {
  /** Epoch ms; points are `everyMs` apart (a missed tick leaves a gap, never a squeezed point). */
  readonly at: number;
  /** Abandon rate over 24 h and 30 days (0–1), and over the profile's window (the governor's). */
  readonly rate24h: number;
  readonly rate30d: number;
  readonly governorRate: number;
  /** Dials of the campaign so far, and its live answers today. */
  readonly dials: number;
  readonly liveAnswers: number;
  /** Contacts finished (done or DNC) and left to call (ready, queued, dialing, waiting, callback). */
  readonly finished: number;
  readonly remaining: number;
  /** Agents working (ready, reserved, on a call, wrap-up) and logged in. */
  readonly working: number;
  readonly loggedIn: number;
}

/**
 * A campaign's history as a bounded ring: `capacity` points at most (the default, 1 440 points
 * a minute apart, is a day), the oldest dropped first.
 */
export class CampaignHistory {
  readonly #points: HistoryPoint[] = [];

  constructor(readonly capacity = 1_440) {}

  /** Add a point (points must come in time order). */
  add(point: HistoryPoint): void {
    const last = this.#points[this.#points.length - 1];
    if (last && point.at <= last.at) return;
    this.#points.push(point);
    if (this.#points.length > this.capacity) this.#points.splice(0, this.#points.length - this.capacity);
  }

  /** The points, oldest first (a copy). */
  points(): HistoryPoint[] {
    return [...this.#points];
  }

  /** How many points are held. */
  get size(): number {
    return this.#points.length;
  }
}

/**
 * When the list runs out at the pace of the last `lookbackMs` (default one hour): contacts left
 * / contacts finished per ms over the points in that span. Undefined without two points in it
 * or when nothing was finished in it (no pace to go by). Pure.
 */
export function listExhaustionEta(points: readonly HistoryPoint[], lookbackMs = 3_600_000): number | undefined {
  const last = points[points.length - 1];
  if (!last) return undefined;
  if (last.remaining === 0) return last.at;
  const first = points.find((p) => p.at >= last.at - lookbackMs);
  if (!first || first === last) return undefined;
  const finishedPerMs = (last.finished - first.finished) / (last.at - first.at);
  if (!(finishedPerMs > 0)) return undefined;
  return Math.round(last.at + last.remaining / finishedPerMs);
}
