export type { AmdListeners, AmdRun, AmdWordsRun, FrameClassifier } from './amd/amd-detector';
export { AmdDetector, detectAnsweringMachine, detectAnsweringMachineWithWords } from './amd/amd-detector';
export type { AmdOptions } from './amd/amd-options';
export { DEFAULT_AMD_OPTIONS, PEOPLE_FIRST_AMD_OPTIONS, resolveAmdOptions, WAIT_FOR_GREETING_AMD_OPTIONS } from './amd/amd-options';
export type { AmdDecision, AmdRevision } from './amd/amd-result';
export { BeepDetector } from './amd/beep-detector';
export {
  DEFAULT_FORCED_PHRASES, // issue-17 f2
  DEFAULT_FORCED_SLOWDOWNS, // issue-17 old
  GreetingRecorder,
  type GreetingTranscriber,
  GreetingWords,
  type GreetingWordsOptions,
  type GreetingWordsVerdict,
} from './amd/greeting-words';
export {
  DEFAULT_MACHINE_PHRASES,
  MachinePhraseMatcher,
  type MachinePhraseOptions,
  normaliseWords,
  type PhraseMatch,
} from './amd/machine-phrases';
export { NoiseFloor } from './amd/noise-floor';
export type { FrameClass, VoiceGateOptions } from './amd/voice-gate';
export { VoiceGate } from './amd/voice-gate';
export { createSipTrunk } from './create-sip-trunk';
export type { G711Codec } from './media/g711';
export { decodeG711, encodeG711 } from './media/g711';
export type { Audio8k } from './media/wav-file';
export { parseWav8k, readWav8k } from './media/wav-file';
export type { BreakerState, CircuitBreakerOptions } from './sip/circuit-breaker';
export type { FinalResponseMeaning } from './sip/outcome-map';
export { mapFinalResponse, parseRetryAfterMs } from './sip/outcome-map';
export type { SipTimerValues } from './sip/sip-timers';
export type { RtpSourcePolicy, SipTlsOptions, SipTrunkConfig, SipTrunkOptions } from './sip-trunk-options';
export type { SipTrunk } from './sip-trunk-port';
export type { SipTrunkStats } from './sip-trunk-stats';
export { MAX_RING_TIMEOUT_MS, MIN_RING_TIMEOUT_MS, validateOriginate, validateSipTrunkOptions } from './validation';
