import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessLaunch, type ObservedAgent, type PacerState, PacingEstimators, predictivePacer, SMALL_TEAM_BELOW } from '../src/index';
import { observedAgent, smallTeamState, stateArb } from './support';

// issue-22 22-small: by default the predictive pacer walks each busy agent's own timing, with
// ringing calls conditioned on their answer delay, only while fewer than SMALL_TEAM_BELOW agents
// are logged in (agents on a break count).

/** Warm estimates of an AMD campaign: live answers at 6–14 s with a 2–4 s greeting, machines, unanswered lines. */
function amdEstimates(ringingByAnswer = false) {
  const est = new PacingEstimators({ halfLifeAttempts: 1e9, ringingByAnswer });
  let x = 99;
  const u = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let i = 0; i < 2_000; i++) {
    const r = u();
    const answer = 6_000 + 8_000 * u();
    if (r < 0.25)
      est.observeAttempt({ outcome: 'human', answerDelayMs: answer, liveDelayMs: answer + 2_000 + 2_000 * u(), durationMs: answer });
    else if (r < 0.4) est.observeAttempt({ outcome: 'machine', answerDelayMs: answer, durationMs: answer + 6_000 });
    else est.observeAttempt({ outcome: 'no-answer', durationMs: 25_000 });
    if (r < 0.25) est.observeWork({ talkMs: 60_000 + 120_000 * u(), wrapMs: 10_000 + 20_000 * u() });
  }
  return est.estimates();
}

/** One ready agent, four busy ones, five calls ringing: a small team's typical state. */
const smallState = (extra: ObservedAgent[] = []): PacerState =>
  smallTeamState(amdEstimates(), [observedAgent(5, AgentState.OnCall, 5_000), ...extra], [2_000, 5_000, 9_000, 12_000, 16_000]);

describe("the default predictive pacer's walk by team size", () => {
  it('builds the answer-delay table the ringingByAnswer estimators build, whatever that option', () => {
    const plain = amdEstimates();
    const byAnswer = amdEstimates(true);
    expect(plain.pendingLiveByAnswer).toEqual(byAnswer.pendingLive);
    expect(plain.pendingLive).not.toEqual(byAnswer.pendingLive);
    expect(byAnswer.pendingLiveByAnswer).toBe(byAnswer.pendingLive);
  });

  it('prices a 5-agent team by the per-agent walk, and the same team with a sixth agent on a break by the placement walk', () => {
    const small = smallState();
    const walk = (s: PacerState, exactAgentTiming?: boolean) =>
      assessLaunch(s, 2, exactAgentTiming === undefined ? {} : { exactAgentTiming });
    expect(walk(small)).toEqual(walk(small, true));
    expect(walk(small).expectedAbandons).not.toBe(walk(small, false).expectedAbandons);
    // A sixth agent logged in but on a break: no longer a small team.
    const six = smallState([observedAgent(6, AgentState.NotReady, 60_000)]);
    expect(walk(six)).toEqual(walk(six, false));
    expect(walk(six).expectedAbandons).not.toBe(walk(six, true).expectedAbandons);
    // Logged out: not counted.
    const gone = smallState([observedAgent(6, AgentState.LoggedOut, 60_000)]);
    expect(walk(gone)).toEqual(walk(gone, true));
  });

  it(`fast-check: with ${SMALL_TEAM_BELOW} or more agents logged in, the default decides exactly as exactAgentTiming: false`, () => {
    const byDefault = predictivePacer();
    const placement = predictivePacer({ exactAgentTiming: false });
    const large = stateArb.filter((s) => s.agents.filter((a) => a.state !== AgentState.LoggedOut).length >= SMALL_TEAM_BELOW);
    fc.assert(
      fc.property(large, (s) => {
        expect(byDefault.decide(s)).toEqual(placement.decide(s));
      }),
      { numRuns: 150 },
    );
  });
});
