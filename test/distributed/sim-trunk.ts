/**
 * rb11: the simulated trunk of the Redis outage tests (store-frozen / cluster-frozen, redis-restart,
 * redis-crash): every call a person (`human`) or a busy line, never a machine, a failure or an invalid
 * number; no detector mistakes; callers patient (60 s). Each test picks the share of people and the
 * answer / busy delays; the rest is one place.
 */
import type { Clock, Random } from '@paceline/core';
import { basicOutcomeModel, createSimTrunk, type SimTrunk } from '@paceline/trunk-sim';

/** What an outage test varies of the trunk. */
export interface PeopleOrBusyOptions {
  /** Share of calls a person answers, the rest busy; default 0.7. */
  readonly human?: number;
  /** Mean time to a person's answer, ms; default 500. */
  readonly answerDelayMeanMs?: number;
  /** Mean time to the busy signal, ms; default 300. */
  readonly failureDelayMeanMs?: number;
}

/** A trunk-sim trunk on `clock` and `random` whose calls are people or busy lines (see the file's comment). */
export function peopleOrBusyTrunk(clock: Clock, random: Random, options: PeopleOrBusyOptions = {}): SimTrunk {
  const human = options.human ?? 0.7;
  return createSimTrunk({
    clock,
    random,
    model: basicOutcomeModel({
      human,
      machine: 0,
      busy: 1 - human,
      failed: 0,
      invalid: 0,
      answerDelayMeanMs: options.answerDelayMeanMs ?? 500,
      failureDelayMeanMs: options.failureDelayMeanMs ?? 300,
      analysisMs: 100,
      amdFalseMachine: 0,
      amdFalseHuman: 0,
      patienceMeanMs: 60_000,
    }),
  });
}
