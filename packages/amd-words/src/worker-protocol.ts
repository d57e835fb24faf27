/**
 * What the transcriber (on the host's thread) and its worker thread say to each other. The
 * worker serves the methods of {@link DecoderMethods}, one request at a time; each reply carries
 * the request's id. Nothing here imports a workspace package, so the built worker needs only
 * the model's runtime and the tokenizer.
 */

import type { PhraseScores } from './phrase-scorer'; // issue-17 f2 (types only)

/** The decoder's settings, checked by the transcriber before the worker starts (`workerData`). */
export interface DecoderSettings {
  /** Folder holding `encoder_model.onnx` and `decoder_model_merged.onnx`. */
  readonly modelDir: string;
  /** ONNX Runtime intra-op threads. */
  readonly threads: number;
  /** Beam width (1: greedy). */
  readonly beams: number;
}

/** Under ~0.3 s of 8 kHz audio the model hallucinates; there are no words to find there anyway. */
export const MIN_SAMPLES = 2_400;

/** The words of one greeting: the likeliest reading and the other readings kept. */
export interface Transcription {
  readonly text: string;
  readonly alternatives: readonly string[];
}

/**
 * The requests the worker serves: a method name, its parameters and its result. To add one, add
 * it here, give `MoonshineDecoder` the method, and map it in `DECODER_METHODS`
 * (`transcription-worker.ts`); the transcriber then sends it with `#request('name', params, transfer)`.
 */
export interface DecoderMethods {
  /** 8 kHz 16-bit audio (its buffer is transferred, not copied) to the n-best readings. */
  readonly transcribe: { readonly params: { readonly samples: Int16Array }; readonly result: Transcription };
  /** issue-17 f2: forced scoring of key phrases (`phrase-scorer.ts`); the audio's buffer is transferred. */
  readonly scorePhrases: {
    readonly params: { readonly samples: Int16Array; readonly phrases: readonly string[] };
    readonly result: PhraseScores;
  };
}

/** The name of a request the worker serves. */
export type DecoderMethod = keyof DecoderMethods;

/** A message to the worker. */
export type ToWorker =
  | { readonly kind: 'call'; readonly id: number; readonly method: DecoderMethod; readonly params: unknown }
  | { readonly kind: 'close' };

/** A message from the worker: the model loaded, a request's result, or a failure (of loading when `id` is absent). */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly result: unknown }
  | { readonly kind: 'failed'; readonly id?: number; readonly failure: SerialisedFailure };

/** The codes a worker failure may carry (a subset of `@paceline/core`'s `ErrorCodes`). */
export type FailureCode = 'E_INVALID_CONFIG' | 'E_INVALID_INPUT' | 'E_INTERNAL';

/** A failure inside the worker, as it crosses the thread boundary (structured-clone safe). */
export interface SerialisedFailure {
  readonly code: FailureCode;
  readonly message: string;
  readonly detail: Readonly<Record<string, string>>;
}

/** An error thrown inside the worker that knows its stable code; the transcriber turns it into a `PacelineError`. */
export class WorkerFailure extends Error {
  readonly code: FailureCode;
  readonly detail: Readonly<Record<string, string>>;

  constructor(code: FailureCode, message: string, detail: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'WorkerFailure';
    this.code = code;
    this.detail = detail;
  }
}

/** Any error thrown inside the worker, ready to post (an unexpected one is `E_INTERNAL`). */
export function serialiseFailure(error: unknown): SerialisedFailure {
  if (error instanceof WorkerFailure) return { code: error.code, message: error.message, detail: error.detail };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'E_INTERNAL', message, detail: { error: error instanceof Error ? (error.stack ?? message) : message } };
}
