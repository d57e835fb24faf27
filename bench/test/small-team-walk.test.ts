import { AgentState } from '@paceline/core';
import {
  createCampaignPacer,
  type ModelEstimates,
  type Pacer,
  type PacerState,
  type PacingDecision,
  predictivePacer,
  SMALL_TEAM_BELOW,
} from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { describe, expect, it } from 'vitest';
import { loadScenarios, simulationOf } from '../scenario';

// issue-22 22-small: the default predictive pacer walks each agent's own timing (with ringing
// calls conditioned on their answer delay) only while fewer than SMALL_TEAM_BELOW agents are
// logged in. On a larger team its decisions must be bit for bit those of the placement walk
// (`exactAgentTiming: false`, the default before), and never read the answer-delay table. Every
// state of a seeded day is decided by both; the default drives the day.

const loggedIn = (state: PacerState) => state.agents.filter((a) => a.state !== AgentState.LoggedOut).length;

interface Tally {
  compared: number;
  model: number;
  differ: number;
  small: number;
  smallDiffer: number;
  /** Reads of `pendingLiveByAnswer` by the default on a team at or above the limit. */
  byAnswerReads: number;
}

/** A pacer that decides by the default and counts where `exactAgentTiming: false` would not have. */
function comparing(tally: Tally): Pacer {
  const byDefault = predictivePacer();
  const placement = predictivePacer({ exactAgentTiming: false });
  return {
    name: 'predictive',
    decide(state: PacerState): PacingDecision {
      const large = loggedIn(state) >= SMALL_TEAM_BELOW;
      // On a large team the default sees estimates that count the reads of the answer-delay table.
      const seen: PacerState = large ? { ...state, estimates: counting(state.estimates, tally) } : state;
      const d = byDefault.decide(seen);
      const old = placement.decide(state);
      const same = JSON.stringify(d) === JSON.stringify(old);
      if (large) {
        tally.compared++;
        if (d.reason === 'model' || d.reason === 'progressive-floor' || d.reason === 'line-cap') tally.model++;
        if (!same) tally.differ++;
      } else if (state.estimates.warm) {
        tally.small++;
        if (!same) tally.smallDiffer++;
      }
      return d;
    },
  };
}

/** The first `hours` of the scenario's day (its lunch at hour 4 included: every agent logged in but on a break). */
/** `est` with its answer-delay table's reads counted (the other fields copied as they are). */
function counting(est: ModelEstimates, tally: Tally): ModelEstimates {
  const { pendingLiveByAnswer: _unread, ...rest } = est;
  return Object.defineProperty({ ...rest }, 'pendingLiveByAnswer', {
    get: () => {
      tally.byAnswerReads++;
      return est.pendingLiveByAnswer;
    },
  }) as ModelEstimates;
}

function day(name: string, seed: number, hours: number): Tally {
  const scenario = loadScenarios().find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`bench/scenarios/${name}.json is missing`);
  const tally: Tally = { compared: 0, model: 0, differ: 0, small: 0, smallDiffer: 0, byAnswerReads: 0 };
  const pacer = createCampaignPacer({ dialMode: 'predictive' }, { pacer: comparing(tally) });
  runSimulation(simulationOf({ ...scenario, durationHours: hours }, seed, pacer));
  console.log(name, JSON.stringify(tally));
  return tally;
}

describe('the default per-agent walk is for small teams only', { timeout: 600_000 }, () => {
  it('decides every state of a 10-agent AMD day bit for bit as the placement walk', () => {
    const t = day('team-10', 7, 5);
    expect(t.model).toBeGreaterThan(1_000);
    expect(t.differ).toBe(0);
    expect(t.byAnswerReads).toBe(0);
  });

  it('decides differently on a 5-agent team (the rule acts)', () => {
    const t = day('small-team-5', 7, 2);
    expect(t.small).toBeGreaterThan(1_000);
    expect(t.smallDiffer).toBeGreaterThan(0);
  });
});
