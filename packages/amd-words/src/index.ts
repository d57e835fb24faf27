export {
  type GreetingTranscript,
  MoonshineTranscriber,
  type MoonshineTranscriberOptions,
  moonshineTinyModelDir,
} from './moonshine-transcriber';
// issue-17 f2: forced phrase scoring
export { type PhraseScore, type PhraseScorerModel, type PhraseScores, scorePhrases } from './phrase-scorer';
export { upsample2x } from './upsample';
