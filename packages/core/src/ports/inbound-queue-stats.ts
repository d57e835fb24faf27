import { PacelineError } from '../errors';

/**
 * issue-23 23-dist: inbound queue statistics kept in the `Store`, so every engine process of the
 * tenant reports the pool's numbers (service level, ASA, abandons) and its blend learns the whole
 * queue's load. Counted per queue and per {@link INBOUND_STATS_INTERVAL_MS} interval (30 minutes,
 * aligned on the epoch, so on the UTC hour and half hour), and per writer (the engine process that
 * counted them), so a reader can tell the other writers' share from its own.
 */

/** The length of one statistics interval, ms: 30 minutes (the workforce interval). */
export const INBOUND_STATS_INTERVAL_MS = 30 * 60_000;

/** The counters of one queue in one interval (of one writer, or summed over the writers). */
export interface InboundQueueCounts {
  /** Callers who entered the queue (counted in the interval they arrived in). */
  readonly offered: number;
  /** Callers who reached an agent (counted in their arrival's interval, like the next four). */
  readonly answered: number;
  /** Of those, answered within the queue's target time. */
  readonly answeredWithinTarget: number;
  /** Callers who hung up while waiting (queue abandons; never part of an outbound abandon rate). */
  readonly abandoned: number;
  /** Total wait of the answered callers, ms (ASA = answeredWaitMs / answered). */
  readonly answeredWaitMs: number;
  /** Total wait of the callers who abandoned, ms (the patience estimate's censored time). */
  readonly abandonedWaitMs: number;
  /** Finished inbound calls (talk + wrap-up over), counted in the interval they finished in. */
  readonly handled: number;
  /** Their total handle time (talk + wrap-up), ms. */
  readonly handleMs: number;
}

/** The counter names, in a fixed order (stores and readers iterate them). */
export const INBOUND_QUEUE_COUNTERS: readonly (keyof InboundQueueCounts)[] = [
  'offered',
  'answered',
  'answeredWithinTarget',
  'abandoned',
  'answeredWaitMs',
  'abandonedWaitMs',
  'handled',
  'handleMs',
];

/** Every counter at 0. */
export const ZERO_INBOUND_QUEUE_COUNTS: InboundQueueCounts = Object.freeze({
  offered: 0,
  answered: 0,
  answeredWithinTarget: 0,
  abandoned: 0,
  answeredWaitMs: 0,
  abandonedWaitMs: 0,
  handled: 0,
  handleMs: 0,
});

/** One interval of one queue as {@link Store.listInboundQueueStats} returns it. */
export interface InboundQueueInterval {
  readonly queueId: string;
  /** The interval's start, epoch ms (a multiple of {@link INBOUND_STATS_INTERVAL_MS}). */
  readonly intervalStart: number;
  /** Summed over the writers. */
  readonly counts: InboundQueueCounts;
  /** Per writer (engine process id): what it added. */
  readonly byWriter: Readonly<Record<string, InboundQueueCounts>>;
}

/** The start of the interval holding `at` (epoch ms). */
export function inboundStatsInterval(at: number): number {
  return Math.floor(at / INBOUND_STATS_INTERVAL_MS) * INBOUND_STATS_INTERVAL_MS;
}

/** Sum counts (e.g. the writers', or several intervals'). */
export function addInboundQueueCounts(a: InboundQueueCounts, b: Partial<InboundQueueCounts>): InboundQueueCounts {
  const sum: Record<string, number> = {};
  for (const name of INBOUND_QUEUE_COUNTERS) sum[name] = a[name] + (b[name] ?? 0);
  return sum as unknown as InboundQueueCounts;
}

/** How many intervals one listing may span: 31 days (the stores keep about that long). */
export const MAX_INBOUND_STATS_INTERVALS = 31 * 48;

/** How long a store keeps an interval's counters after the interval ends, ms (31 days). */
export const INBOUND_STATS_RETENTION_MS = 31 * 24 * 3_600_000;

const MAX_ID = 128;

function checkId(where: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID) {
    throw new PacelineError('E_INVALID_INPUT', `${where}.${field}: expected 1–${MAX_ID} characters, got ${JSON.stringify(value)}`);
  }
}

/**
 * Check `addInboundQueueStats`' arguments (both stores call this): `E_INVALID_INPUT` naming the
 * field. Returns the delta with only the counters given and non-zero.
 */
export function checkInboundQueueStatsAdd(
  queueId: string,
  at: number,
  writer: string,
  delta: Partial<InboundQueueCounts>,
): Partial<Record<keyof InboundQueueCounts, number>> {
  const where = 'inbound queue stats';
  checkId(where, 'queueId', queueId);
  checkId(where, 'writer', writer);
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
    throw new PacelineError('E_INVALID_INPUT', `${where}.at: expected epoch milliseconds, got ${String(at)}`);
  }
  if (typeof delta !== 'object' || delta === null) throw new PacelineError('E_INVALID_INPUT', `${where}.delta: expected an object`);
  const out: Partial<Record<keyof InboundQueueCounts, number>> = {};
  for (const [name, value] of Object.entries(delta)) {
    if (!INBOUND_QUEUE_COUNTERS.includes(name as keyof InboundQueueCounts)) {
      throw new PacelineError('E_INVALID_INPUT', `${where}.delta.${name}: not a counter (${INBOUND_QUEUE_COUNTERS.join(', ')})`);
    }
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new PacelineError('E_INVALID_INPUT', `${where}.delta.${name}: expected a whole number ≥ 0, got ${String(value)}`);
    }
    if (value > 0) out[name as keyof InboundQueueCounts] = value;
  }
  return out;
}

/** Check `listInboundQueueStats`' arguments; returns the interval starts to read, oldest first. */
export function inboundStatsIntervals(queueId: string, since: number, until: number): number[] {
  const where = 'listInboundQueueStats';
  checkId(where, 'queueId', queueId);
  for (const [field, value] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new PacelineError('E_INVALID_INPUT', `${where}.${field}: expected epoch milliseconds, got ${String(value)}`);
    }
  }
  const starts: number[] = [];
  for (let start = inboundStatsInterval(since); start < until; start += INBOUND_STATS_INTERVAL_MS) {
    if (starts.length === MAX_INBOUND_STATS_INTERVALS) {
      throw new PacelineError('E_INVALID_INPUT', `${where}: at most ${MAX_INBOUND_STATS_INTERVALS} intervals (31 days) per listing`);
    }
    starts.push(start);
  }
  return starts;
}
