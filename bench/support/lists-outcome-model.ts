/**
 * The calls of the lists benchmarks (`lists-upload-node.ts`, `upload-allocations.ts`): every
 * outcome but no-answer (the shares sum to 1, so no line is held to the ring timeout), answered
 * in well under a second, no AMD errors. Its own module because `lists-upload-node.ts` runs on
 * import.
 */
import { basicOutcomeModel, type SimOutcomeModel } from '@paceline/trunk-sim';

/** trunk-sim's basic model with the lists benchmarks' outcome mix and delays. */
export function listsOutcomeModel(): SimOutcomeModel {
  return basicOutcomeModel({
    human: 0.5,
    machine: 0.1,
    busy: 0.2,
    failed: 0.1,
    invalid: 0.1,
    answerDelayMeanMs: 400,
    failureDelayMeanMs: 150,
    analysisMs: 100,
    amdFalseMachine: 0,
    amdFalseHuman: 0,
    patienceMeanMs: 60_000,
  });
}
