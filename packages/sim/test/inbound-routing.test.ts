import { AgentState, seededRandom, VirtualClock } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { AgentRoster, createDistribution, InboundQueue, type InboundRoutingOrder, type SimAgent } from '../src/index';

const HOUR = 3_600_000;
const TARGET_MS = 20_000;

/**
 * Two agents: a1 takes the first inbound caller (an hour's talk); a2 stays ready but out of
 * inbound's reach until the test offers it, so callers queue. The run stops at `untilMs`.
 * The same seed gives the same callers, so a first run finds when the oldest queued caller
 * (the second to arrive) came, and a second stops a chosen time into their wait.
 */
function runUntil(routing: InboundRoutingOrder | undefined, untilMs: number) {
  const clock = new VirtualClock(0);
  const random = seededRandom(7);
  const roster = new AgentRoster(
    clock,
    0,
    [{ count: 2, loginAtMs: 0, logoutAtMs: 2 * HOUR, wrap: { kind: 'constant', valueMs: 0 } }],
    random.split('agents'),
  );
  let a2Open = false;
  const arrivals: number[] = [];
  const queue = new InboundQueue({
    clock,
    startAt: 0,
    startHour: 9,
    durationMs: 2 * HOUR,
    roster,
    arrivalsPerHour: () => 120,
    patience: createDistribution({ kind: 'constant', valueMs: HOUR }),
    talk: createDistribution({ kind: 'constant', valueMs: HOUR }),
    targetAnswerMs: TARGET_MS,
    arrivalRandom: random.split('arrivals'),
    callerRandom: random.split('callers'),
    eligible: (a) => a.id !== 'a2' || a2Open,
    observer: { arrival: (at) => arrivals.push(at), answered: () => {}, abandoned: () => {}, work: () => {} },
    ...(routing !== undefined ? { routing } : {}),
  });
  queue.start();
  clock.advanceTo(untilMs);
  const a2 = roster.agents.find((a) => a.id === 'a2') as SimAgent;
  expect(a2.state).toBe(AgentState.Ready);
  return {
    arrivals,
    queued: queue.queued,
    /** a2 frees now; an outbound live caller has waited `outboundWaitedMs` (none: undefined). Did inbound take a2? */
    offer(outboundWaitedMs: number | undefined): boolean {
      a2Open = true;
      return queue.offerAgent(a2, outboundWaitedMs === undefined ? undefined : clock.now() - outboundWaitedMs);
    },
  };
}

describe('inbound routing when both flows wait (issue 23)', () => {
  const oldestAt = runUntil(undefined, 30 * 60_000).arrivals[1] as number;
  /** Offer a2 `waitedMs` into the oldest queued caller's wait, an outbound caller waiting 500 ms (grace left 1.5 s) or none. */
  const offer = (routing: InboundRoutingOrder | undefined, waitedMs: number, outbound: boolean) => {
    const run = runUntil(routing, oldestAt + waitedMs);
    expect(run.queued).toBeGreaterThan(0);
    return run.offer(outbound ? 500 : undefined);
  };

  it('deadline: the outbound caller inside its 2-s grace goes first unless the inbound caller’s answer target comes sooner', () => {
    // 10 s into the wait: the target is 10 s away, the outbound grace ends in 1.5 s — outbound first.
    expect(offer('deadline', 10_000, true)).toBe(false);
    // 19 s into the wait: the target is 1 s away, sooner than the grace's end — inbound first.
    expect(offer('deadline', 19_000, true)).toBe(true);
    // Past the target (25 s): that caller has missed it; the outbound caller can still be saved.
    expect(offer('deadline', 25_000, true)).toBe(false);
    // Nobody waiting outbound: inbound takes the agent.
    expect(offer('deadline', 10_000, false)).toBe(true);
  });

  it('inbound-first (the default, and the baselines’ routing): the oldest inbound caller always goes first', () => {
    for (const waitedMs of [10_000, 19_000, 25_000]) {
      expect(offer('inbound-first', waitedMs, true)).toBe(true);
      expect(offer(undefined, waitedMs, true)).toBe(true);
    }
  });
});
