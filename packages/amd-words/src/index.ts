export {
  type GreetingTranscript,
  MoonshineTranscriber,
  type MoonshineTranscriberOptions,
  moonshineTinyModelDir,
} from './moonshine-transcriber';
export { upsample2x } from './upsample';
// issue-17 f2: forced phrase scoring
export { type PhraseScore, type PhraseScores, type PhraseScorerModel, scorePhrases } from './phrase-scorer';
