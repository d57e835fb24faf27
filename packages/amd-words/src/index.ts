export {
  type GreetingTranscript,
  MoonshineTranscriber,
  type MoonshineTranscriberOptions,
  moonshineTinyModelDir,
  type WarnLogger,
  type WorkerTimeoutEvent,
} from './moonshine-transcriber';
// issue-17 f2: what `MoonshineTranscriber.scorePhrases` returns (the scoring itself runs in the worker; its
// model type names onnxruntime-node, an optional peer, so it stays out of the public declarations).
export type { PhraseScore, PhraseScores } from './phrase-scorer';
export { upsample2x } from './upsample';
