import {
  addInboundQueueCounts,
  checkInboundQueueStatsAdd,
  INBOUND_STATS_RETENTION_MS,
  type InboundQueueCounts,
  type InboundQueueInterval,
  inboundStatsInterval,
  inboundStatsIntervals,
  ZERO_INBOUND_QUEUE_COUNTS,
} from '@paceline/core';

/**
 * issue-23 23-dist: the in-memory store's inbound queue statistics: per queue, per interval, per
 * writer, counters added in one synchronous step (so concurrent adds sum exactly). An interval
 * is dropped when an add comes more than `INBOUND_STATS_RETENTION_MS` after it ended.
 */
export class MemoryInboundStats {
  /** queueId → intervalStart → writer → counts. */
  readonly #queues = new Map<string, Map<number, Map<string, InboundQueueCounts>>>();

  add(queueId: string, at: number, writer: string, delta: Partial<InboundQueueCounts>): void {
    const checked = checkInboundQueueStatsAdd(queueId, at, writer, delta);
    if (Object.keys(checked).length === 0) return;
    let intervals = this.#queues.get(queueId);
    if (!intervals) {
      intervals = new Map();
      this.#queues.set(queueId, intervals);
    }
    const start = inboundStatsInterval(at);
    for (const old of intervals.keys()) if (old + INBOUND_STATS_RETENTION_MS < start) intervals.delete(old);
    let writers = intervals.get(start);
    if (!writers) {
      writers = new Map();
      intervals.set(start, writers);
    }
    writers.set(writer, Object.freeze(addInboundQueueCounts(writers.get(writer) ?? ZERO_INBOUND_QUEUE_COUNTS, checked)));
  }

  list(queueId: string, since: number, until: number): InboundQueueInterval[] {
    const starts = inboundStatsIntervals(queueId, since, until);
    const intervals = this.#queues.get(queueId);
    const out: InboundQueueInterval[] = [];
    for (const intervalStart of starts) {
      const writers = intervals?.get(intervalStart);
      if (!writers) continue;
      let counts = ZERO_INBOUND_QUEUE_COUNTS;
      const byWriter: Record<string, InboundQueueCounts> = {};
      for (const [writer, c] of [...writers].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        byWriter[writer] = c;
        counts = addInboundQueueCounts(counts, c);
      }
      out.push({ queueId, intervalStart, counts, byWriter });
    }
    return out;
  }
}
