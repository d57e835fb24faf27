export type { BasicOutcomeParams, SimCallPlan, SimOutcomeModel } from './call-plan';
export { basicOutcomeModel, scriptedOutcomeModel, TYPICAL_CONSUMER_LIST } from './call-plan';
export type { SimTrunk, SimTrunkOptions } from './sim-trunk';
export { createSimTrunk } from './sim-trunk';
