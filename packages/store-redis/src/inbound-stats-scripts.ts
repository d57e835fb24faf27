import {
  addInboundQueueCounts,
  INBOUND_QUEUE_COUNTERS,
  type InboundQueueCounts,
  type InboundQueueInterval,
  ZERO_INBOUND_QUEUE_COUNTS,
} from '@paceline/core';
import { LuaScript } from './lua-script';

/**
 * issue-23 23-dist: inbound queue statistics. One hash per queue and interval,
 * `<p>:<t>:iq:{<queueId>}:<intervalStart>`, fields `<writer>|<counter>` (the writer is the
 * engine process; the counter name holds no `|`, so the last `|` splits them). Every interval
 * of a queue carries the queue's hash tag, so on Redis Cluster the listing script reads them
 * all on one master.
 */

/**
 * Add to the counters, atomically (HINCRBY), and keep the hash for the retention from now
 * (relative: Redis's clock, not the caller's, which may be a virtual one).
 *
 * KEYS: 1 the interval's hash.
 * ARGV: 1 time to live (ms), then field, amount pairs.
 */
export const addInboundStatsScript = new LuaScript(
  'addInboundStats',
  `
for i = 2, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`,
);

/**
 * Every interval's hash, from one snapshot.
 *
 * KEYS: the intervals' hashes, oldest first.
 * Returns: per key, its HGETALL (flat field, value list; empty when absent).
 */
export const listInboundStatsScript = new LuaScript(
  'listInboundStats',
  `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('HGETALL', key)
end
return out
`,
);

/** One interval's hash (flat `field, value` list) as an {@link InboundQueueInterval}, or undefined when empty. */
export function fromInboundStatsHash(queueId: string, intervalStart: number, flat: readonly string[]): InboundQueueInterval | undefined {
  if (flat.length === 0) return undefined;
  const writers = new Map<string, Record<string, number>>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i] as string;
    const bar = field.lastIndexOf('|');
    const writer = field.slice(0, bar);
    const counter = field.slice(bar + 1);
    if (bar < 0 || !INBOUND_QUEUE_COUNTERS.includes(counter as keyof InboundQueueCounts)) continue;
    let counts = writers.get(writer);
    if (!counts) {
      counts = { ...ZERO_INBOUND_QUEUE_COUNTS };
      writers.set(writer, counts);
    }
    counts[counter] = Number(flat[i + 1]);
  }
  let total = ZERO_INBOUND_QUEUE_COUNTS;
  const byWriter: Record<string, InboundQueueCounts> = {};
  for (const [writer, counts] of [...writers].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    byWriter[writer] = counts as unknown as InboundQueueCounts;
    total = addInboundQueueCounts(total, counts);
  }
  return { queueId, intervalStart, counts: total, byWriter };
}
