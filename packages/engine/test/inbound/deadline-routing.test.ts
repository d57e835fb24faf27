import { parseInboundConfig } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseFlow, nextInboundCaller, type RoutedFlow } from '../../src/inbound/deadline-routing';
import { QueueStats } from '../../src/inbound/queue-stats';

const NOW = 1_000_000;
const GRACE_MS = 2_000; // the call machine's CONNECT_DEADLINE_MS

/** Queues as the desk keeps them, with callers waiting: `waiting[queueId]` = [callId, queuedAt][]. */
function desk(
  queues: { id: string; priority?: number; answerSeconds?: number; skills?: string[] }[],
  waiting: Record<string, [string, number][]>,
) {
  const config = parseInboundConfig({
    queues: queues.map((q) => ({
      id: q.id,
      priority: q.priority ?? 0,
      skills: q.skills ?? [],
      serviceLevel: { answerSeconds: q.answerSeconds ?? 20 },
    })),
  });
  const calls = new Map<string, { snapshot: { queuedAt: number } }>();
  const stats = config.queues.map((queue) => {
    const s = new QueueStats(queue);
    for (const [callId, queuedAt] of waiting[queue.id] ?? []) {
      s.join(callId, queuedAt);
      calls.set(callId, { snapshot: { queuedAt } });
    }
    return s;
  });
  return { stats, calls };
}

describe('deadline routing: which caller a freeing agent takes (issue 23)', () => {
  it('an outbound live answer inside its 2-s grace goes before an inbound caller with time left to the target', () => {
    // Outbound waited 500 ms (1.5 s of grace left); inbound waited 10 s of a 20-s target (10 s left).
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW - 500 + GRACE_MS, inboundDeadline: NOW - 10_000 + 20_000 })).toBe('outbound');
  });

  it('the inbound caller goes first when its answer target comes sooner, or on a tie', () => {
    // 19 s into a 20-s target: 1 s left, sooner than the outbound grace's 1.5 s.
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_500, inboundDeadline: NOW + 1_000 })).toBe('inbound');
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_500, inboundDeadline: NOW + 1_500 })).toBe('inbound');
  });

  it('nobody waiting outbound: inbound first, as before; nobody inbound: outbound; nobody: nothing', () => {
    expect(chooseFlow({ now: NOW, inboundDeadline: NOW + 15_000 })).toBe('inbound');
    expect(chooseFlow({ now: NOW, inboundDeadline: NOW - 15_000 })).toBe('inbound');
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_000 })).toBe('outbound');
    expect(chooseFlow({ now: NOW })).toBeUndefined();
  });

  it('a missed deadline no longer counts: past the target the outbound caller (still savable) goes first; past the grace, inbound', () => {
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_500, inboundDeadline: NOW - 5_000 })).toBe('outbound');
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_500, inboundDeadline: NOW })).toBe('outbound');
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW, inboundDeadline: NOW + 10_000 })).toBe('inbound');
  });

  it('several queues: priority picks the inbound caller, its own queue’s target gives the deadline the outbound caller is weighed against', () => {
    const { stats, calls } = desk(
      [
        { id: 'vip', priority: 5, answerSeconds: 10 },
        { id: 'service', priority: 0, answerSeconds: 20 },
        { id: 'billing', priority: 9, answerSeconds: 60, skills: ['billing'] },
      ],
      {
        vip: [
          ['v2', NOW - 2_000],
          ['v1', NOW - 3_000],
        ],
        service: [['s1', NOW - 19_500]], // older, lower priority: waits behind vip
        billing: [['b1', NOW - 50_000]], // highest priority, but this agent lacks the skill
      },
    );
    const pick = nextInboundCaller([], stats, calls);
    expect(pick).toMatchObject({ call: calls.get('v1'), priority: 5, deadline: NOW - 3_000 + 10_000 });
    // vip's caller has 7 s left: an outbound caller 1.5 s from its deadline goes first.
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_500, inboundDeadline: pick?.deadline })).toBe('outbound');

    // With the billing skill the billing caller is picked: 10 s left of its 60-s target.
    const billing = nextInboundCaller(['billing'], stats, calls);
    expect(billing).toMatchObject({ call: calls.get('b1'), deadline: NOW + 10_000 });
    // A vip caller 9.5 s in (0.5 s left) beats the outbound caller's 1.5 s.
    const late = desk([{ id: 'vip', priority: 5, answerSeconds: 10 }, { id: 'service' }], {
      vip: [['v1', NOW - 9_500]],
      service: [['s1', NOW - 1_000]],
    });
    const latePick = nextInboundCaller([], late.stats, late.calls);
    expect(latePick?.call).toBe(late.calls.get('v1'));
    expect(chooseFlow({ now: NOW, outboundDeadline: NOW + 1_500, inboundDeadline: latePick?.deadline })).toBe('inbound');
    // Equal priority: the longest wait.
    const tie = desk([{ id: 'a' }, { id: 'b' }], { a: [['a1', NOW - 4_000]], b: [['b1', NOW - 6_000]] });
    expect(nextInboundCaller([], tie.stats, tie.calls)?.call).toBe(tie.calls.get('b1'));
    expect(nextInboundCaller([], desk([{ id: 'a' }], {}).stats, new Map())).toBeUndefined();
  });

  it('property: the chosen caller is the candidate with the earliest deadline still ahead (ties to inbound; none ahead: inbound if any)', () => {
    // Times on a 500-ms grid, so that ties and deadlines falling exactly now are frequent.
    const HALF_SECONDS = (min: number, max: number) => fc.integer({ min: min / 500, max: max / 500 }).map((n) => n * 500);
    const queueArb = fc.record({
      priority: fc.integer({ min: 0, max: 3 }),
      answerSeconds: fc.integer({ min: 0, max: 120 }),
      waitedMs: fc.option(HALF_SECONDS(0, 150_000), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(queueArb, { minLength: 1, maxLength: 4 }),
        fc.option(HALF_SECONDS(-500, GRACE_MS + 500), { nil: undefined }), // outbound: ms waited (past 2 s: missed)
        (queues, outboundWaitedMs) => {
          const { stats, calls } = desk(
            queues.map((q, i) => ({ id: `q${i}`, priority: q.priority, answerSeconds: q.answerSeconds })),
            Object.fromEntries(queues.flatMap((q, i) => (q.waitedMs === undefined ? [] : [[`q${i}`, [[`c${i}`, NOW - q.waitedMs]]]]))),
          );
          const inbound = nextInboundCaller([], stats, calls);
          const outboundDeadline = outboundWaitedMs === undefined ? undefined : NOW - outboundWaitedMs + GRACE_MS;
          const chosen = chooseFlow({ now: NOW, outboundDeadline, inboundDeadline: inbound?.deadline });

          const candidates: { flow: RoutedFlow; deadline: number }[] = [];
          if (inbound) candidates.push({ flow: 'inbound', deadline: inbound.deadline });
          if (outboundDeadline !== undefined) candidates.push({ flow: 'outbound', deadline: outboundDeadline });
          if (candidates.length === 0) return chosen === undefined;
          const ahead = candidates.filter((c) => c.deadline > NOW);
          if (ahead.length === 0) return chosen === (inbound ? 'inbound' : 'outbound');
          const earliest = Math.min(...ahead.map((c) => c.deadline));
          const winners = ahead.filter((c) => c.deadline === earliest).map((c) => c.flow);
          return chosen === (winners.includes('inbound') ? 'inbound' : 'outbound');
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
