export {
  type GreetingTranscript,
  MoonshineTranscriber,
  type MoonshineTranscriberOptions,
  moonshineTinyModelDir,
} from './moonshine-transcriber';
export { upsample2x } from './upsample';
