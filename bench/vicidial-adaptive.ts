import { AgentState } from '@paceline/core';
import type { Pacer, PacerState, PacingDecision } from '@paceline/pacing';

/** Tuning of the VICIdial-style baseline (names after its published description). */
export interface VicidialAdaptiveOptions {
  /** How often the dial level adapts, ms (VICIdial: every 15 s). */
  readonly intervalMs?: number;
  /** Gain when agents are waiting (the differential is positive): raise the level gently. */
  readonly upIntensity?: number;
  /** Gain when calls are waiting (negative differential): cut the level harder. */
  readonly downIntensity?: number;
  /** Dial-level bounds (VICIdial's adaptive maximum; 1 is one line per agent). */
  readonly minLevel?: number;
  readonly maxLevel?: number;
  /** Drop-rate limit since midnight (a fraction); over it the level is halved, or reset to 1. */
  readonly dropLimit?: number;
  readonly onExceed?: 'halve' | 'reset';
}

/**
 * A re-implementation, from its published description only, of VICIdial's adaptive
 * dial-level loop (no AGPL code was read or copied): lines = dial level × counted agents
 * (logged in, not paused) − active calls (ringing, waiting or talking to an agent); every
 * 15 s the level is multiplied by 1 + (ready − waiting) / counted, scaled by an asymmetric
 * intensity, clamped to [1, 3]; when the drop rate since midnight exceeds the limit the
 * level is halved (or reset to 1).
 *
 * Stateful, unlike Paceline's pacers: the dial level is the loop's memory. One instance per run.
 */
export function vicidialAdaptivePacer(options: VicidialAdaptiveOptions = {}): Pacer {
  const intervalMs = options.intervalMs ?? 15_000;
  const up = options.upIntensity ?? 0.5;
  const down = options.downIntensity ?? 1;
  const minLevel = options.minLevel ?? 1;
  const maxLevel = options.maxLevel ?? 3;
  const onExceed = options.onExceed ?? 'halve';
  let level = minLevel;
  let nextAdjustAt = Number.NEGATIVE_INFINITY;
  // The differential is averaged over the interval, sampled at each decision.
  let diffSum = 0;
  let diffSamples = 0;

  return {
    name: 'vicidial-adaptive',
    decide(state: PacerState): PacingDecision {
      let ready = 0;
      let talking = 0;
      let counted = 0;
      for (const agent of state.agents) {
        if (agent.state === AgentState.Ready) ready++;
        if (agent.state === AgentState.OnCall || agent.state === AgentState.Reserved) talking++;
        if (
          agent.state === AgentState.Ready ||
          agent.state === AgentState.OnCall ||
          agent.state === AgentState.Reserved ||
          agent.state === AgentState.WrapUp
        )
          counted++;
      }
      let waiting = 0;
      for (const call of state.calls) if (call.phase === 'waiting') waiting++;
      if (counted > 0) {
        diffSum += (ready - waiting) / counted;
        diffSamples++;
      }
      const limit = options.dropLimit ?? state.options.abandonTarget;
      const dropRate = state.abandons.liveAnswers > 0 ? state.abandons.abandoned / state.abandons.liveAnswers : 0;
      if (nextAdjustAt === Number.NEGATIVE_INFINITY) nextAdjustAt = state.now + intervalMs;
      else if (state.now >= nextAdjustAt) {
        nextAdjustAt = state.now + intervalMs;
        const rel = diffSamples > 0 ? diffSum / diffSamples : 0;
        diffSum = 0;
        diffSamples = 0;
        level *= 1 + rel * (rel > 0 ? up : down);
        if (dropRate > limit) level = onExceed === 'reset' ? minLevel : level / 2;
        level = Math.min(maxLevel, Math.max(minLevel, level));
      }
      const goal = Math.round(level * counted);
      const active = state.calls.length + talking;
      return {
        launch: Math.max(0, goal - active),
        reason: 'vicidial-adaptive',
        inputs: { level, counted, ready, waiting, active, dropRate },
      };
    },
  };
}
