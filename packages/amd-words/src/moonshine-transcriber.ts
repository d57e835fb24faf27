import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Clock, PacelineError, systemClock } from '@paceline/core';
import type { LlamaTokenizer } from 'llama-tokenizer-js';
import type * as Ort from 'onnxruntime-node';
import { type PhraseScores, scorePhrases } from './phrase-scorer'; // issue-17 f2
import { upsample2x } from './upsample';

/** The model package and where, inside it, the English tiny model (MIT) lies. */
const MODEL_PACKAGE = '@usefulsensors/moonshine-js';
const TINY_MODEL_PATH = 'dist/model/tiny/quantized';
/** Moonshine tiny: decoder layers, key/value heads and head size (its `past_key_values` shapes). */
const TINY_SHAPE = { layers: 6, kvHeads: 8, headDim: 36 } as const;
const DECODER_START_TOKEN = 1;
const END_TOKEN = 2;
/** Moonshine emits at most ~6 tokens per second of audio (the bound its own runtime uses). */
const TOKENS_PER_SECOND = 6;

/** What one transcription gave, and what it cost. */
export interface GreetingTranscript {
  /** The words heard, the likeliest reading (English; other languages come out as English-sounding guesses). */
  readonly text: string;
  /** The other readings the beam search kept (the n-best after `text`), for keyword search. */
  readonly alternatives: readonly string[];
  /** Wall time of the model's work for this greeting, ms (waiting behind other calls not included). */
  readonly computeMs: number;
  /** Milliseconds of audio transcribed (after the `maxAudioMs` cut). */
  readonly audioMs: number;
}

/** Settings of {@link MoonshineTranscriber.load}. */
export interface MoonshineTranscriberOptions {
  /** Folder holding `encoder_model.onnx` and `decoder_model_merged.onnx`; default: the tiny English model of `@usefulsensors/moonshine-js`. */
  readonly modelDir?: string;
  /** CPU threads for one inference (ONNX Runtime's intra-op threads). Default 1: a dialer host has other work. */
  readonly threads?: number;
  /**
   * Beam width: 1 is greedy decoding; more keeps that many readings (returned as
   * `alternatives`), so a phrase the likeliest reading mishears ("leave my marriage") may be in
   * another ("leave my message"), for about that many times the decoder's compute. Default 4.
   */
  readonly beams?: number;
  /** Transcribe at most this much of a greeting, from its start (ms). Default 10 000. */
  readonly maxAudioMs?: number;
  /** The clock compute time is measured with (default `systemClock()`). */
  readonly clock?: Pick<Clock, 'now'>;
}

type Feeds = Record<string, Ort.Tensor>;

/** One hypothesis of the beam search. */
interface Beam {
  readonly tokens: readonly number[];
  readonly logProb: number;
  readonly past: Feeds;
  readonly done: boolean;
}
type OrtModule = typeof Ort;

/** onnxruntime-node, an optional peer: loaded on first use, with a clear error when it is missing. */
async function loadRuntime(): Promise<OrtModule> {
  try {
    const loaded = (await import('onnxruntime-node')) as OrtModule & { default?: OrtModule };
    return loaded.InferenceSession ? loaded : (loaded.default as OrtModule);
  } catch (error) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'amdWords: onnxruntime-node is not installed (an optional peer of @paceline/amd-words); install onnxruntime-node@1.21.0 and @usefulsensors/moonshine-js@0.1.21 beside it',
      { field: 'onnxruntime-node', error: String(error) },
    );
  }
}

/**
 * Speech to text for call greetings with Moonshine tiny (English, 27 M parameters, quantized
 * ONNX shipped in the `@usefulsensors/moonshine-js` npm package, MIT), run on the CPU by
 * `onnxruntime-node`. Takes 8 kHz 16-bit telephone audio, upsamples it to the 16 kHz the model
 * wants, and decodes with a small beam search (n-best readings). Inference runs on ONNX Runtime's own threads (off the event
 * loop); calls are queued so at most one greeting is transcribed at a time. Nothing is
 * downloaded: the model files come with the npm package.
 */
export class MoonshineTranscriber {
  readonly #ort: OrtModule;
  readonly #tokenizer: LlamaTokenizer;
  readonly #encoder: Ort.InferenceSession;
  readonly #decoder: Ort.InferenceSession;
  readonly #maxSamples: number;
  readonly #beams: number;
  readonly #clock: Pick<Clock, 'now'>;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    ort: OrtModule,
    tokenizer: LlamaTokenizer,
    encoder: Ort.InferenceSession,
    decoder: Ort.InferenceSession,
    maxAudioMs: number,
    beams: number,
    clock: Pick<Clock, 'now'>,
  ) {
    this.#beams = beams;
    this.#ort = ort;
    this.#tokenizer = tokenizer;
    this.#encoder = encoder;
    this.#decoder = decoder;
    this.#maxSamples = Math.round(maxAudioMs * 8);
    this.#clock = clock;
  }

  /**
   * Load the model (about 2 s, ~100 MB of memory). Throws `E_INVALID_CONFIG` naming `modelDir`
   * when the model files are not there (the model package is not installed).
   */
  static async load(options: MoonshineTranscriberOptions = {}): Promise<MoonshineTranscriber> {
    const threads = options.threads ?? 1;
    const beams = options.beams ?? 4;
    if (!Number.isInteger(beams) || beams < 1 || beams > 8) {
      throw new PacelineError('E_INVALID_CONFIG', `amdWords.beams: expected a whole number from 1 to 8, got ${beams}`, { field: 'beams' });
    }
    const maxAudioMs = options.maxAudioMs ?? 10_000;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new PacelineError('E_INVALID_CONFIG', `amdWords.threads: expected a whole number ≥ 1, got ${threads}`, { field: 'threads' });
    }
    if (!Number.isFinite(maxAudioMs) || maxAudioMs < 500 || maxAudioMs > 30_000) {
      throw new PacelineError('E_INVALID_CONFIG', `amdWords.maxAudioMs: expected 500 to 30 000 ms, got ${maxAudioMs}`, {
        field: 'maxAudioMs',
      });
    }
    const dir = options.modelDir ?? moonshineTinyModelDir();
    for (const file of ['encoder_model.onnx', 'decoder_model_merged.onnx']) {
      if (!existsSync(join(dir, file))) {
        throw new PacelineError(
          'E_INVALID_CONFIG',
          `amdWords.modelDir: ${join(dir, file)} not found; pass the folder of the Moonshine tiny ONNX model`,
          {
            field: 'modelDir',
          },
        );
      }
    }
    const ort = await loadRuntime();
    const session: Ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const encoder = await ort.InferenceSession.create(join(dir, 'encoder_model.onnx'), session);
    const decoder = await ort.InferenceSession.create(join(dir, 'decoder_model_merged.onnx'), session);
    // An ES module; loaded here so that importing this package stays cheap (and works from require()).
    const tokenizer = ((await import('llama-tokenizer-js')) as { default: LlamaTokenizer }).default;
    return new MoonshineTranscriber(ort, tokenizer, encoder, decoder, maxAudioMs, beams, options.clock ?? systemClock());
  }

  /** Transcribe 8 kHz 16-bit audio (one greeting). Queued behind any transcription already running. */
  transcribe(samples: Int16Array): Promise<GreetingTranscript> {
    const run = this.#queue.then(() => this.#run(samples.subarray(0, this.#maxSamples)));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  // issue-17 f2: forced scoring of key phrases (phrase-scorer.ts), queued like a transcription.
  /** How likely the model finds each phrase in the greeting (see `scorePhrases`); queued like {@link transcribe}. */
  scorePhrases(samples: Int16Array, phrases: readonly string[]): Promise<PhraseScores> {
    const model = { ort: this.#ort, tokenizer: this.#tokenizer, encoder: this.#encoder, decoder: this.#decoder };
    const run = this.#queue.then(async () => {
      const started = this.#clock.now();
      const scored = await scorePhrases(model, samples.subarray(0, this.#maxSamples), phrases);
      return { ...scored, computeMs: this.#clock.now() - started };
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Free the model's sessions. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#encoder.release();
    await this.#decoder.release();
  }

  async #run(samples: Int16Array): Promise<GreetingTranscript> {
    const started = this.#clock.now();
    const audioMs = samples.length / 8;
    // Under ~0.3 s the model hallucinates; there are no words to find there anyway.
    if (samples.length < 2_400) return { text: '', alternatives: [], computeMs: this.#clock.now() - started, audioMs };
    const audio = upsample2x(samples);
    const ort = this.#ort;
    const encoded = await this.#encoder.run({ input_values: new ort.Tensor('float32', audio, [1, audio.length]) });
    const hidden = encoded.last_hidden_state as Ort.Tensor;
    // Beam search: `#beams` open readings extended a token at a time; a reading that ends leaves
    // the beam for the finished list. Finished readings are ranked by log-probability per token,
    // so short ones (an early end) do not win by having fewer tokens to pay for.
    let open: Beam[] = [{ tokens: [], logProb: 0, past: emptyPast(ort), done: false }];
    const finished: Beam[] = [];
    const maxTokens = Math.max(4, Math.trunc((audioMs / 1_000) * TOKENS_PER_SECOND));
    for (let step = 0; step < maxTokens && open.length > 0 && finished.length < this.#beams; step++) {
      const candidates: Beam[] = [];
      for (const beam of open) {
        const output = await this.#decoder.run({
          input_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(beam.tokens.at(-1) ?? DECODER_START_TOKEN)), [1, 1]),
          encoder_hidden_states: hidden,
          use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
          ...beam.past,
        });
        // The encoder's keys and values are computed on the first step only and kept after.
        const past: Feeds = {};
        for (const name of Object.keys(beam.past)) {
          const present = output[name.replace('past_key_values', 'present')];
          past[name] = step === 0 || name.includes('.decoder.') ? (present as Ort.Tensor) : (beam.past[name] as Ort.Tensor);
        }
        for (const { token, logProb } of topTokens(output.logits as Ort.Tensor, this.#beams)) {
          const done = token === END_TOKEN;
          candidates.push({ tokens: done ? beam.tokens : [...beam.tokens, token], logProb: beam.logProb + logProb, past, done });
        }
      }
      candidates.sort((a, b) => b.logProb - a.logProb);
      const kept = candidates.slice(0, this.#beams);
      finished.push(...kept.filter((b) => b.done));
      open = kept.filter((b) => !b.done);
    }
    const perToken = (b: Beam) => b.logProb / (b.tokens.length + 1);
    const beams = [...finished, ...open].sort((a, b) => perToken(b) - perToken(a)).slice(0, this.#beams);
    const vocabulary = this.#tokenizer.vocabById.length;
    const texts = beams.map((b) =>
      this.#tokenizer
        .decode(
          b.tokens.filter((t) => t > END_TOKEN && t < vocabulary),
          false,
          false,
        )
        .trim(),
    );
    const [text = '', ...rest] = texts;
    const alternatives = rest.filter((t, i) => t !== text && rest.indexOf(t) === i);
    return { text, alternatives, computeMs: this.#clock.now() - started, audioMs };
  }
}

/** The folder of the tiny English model inside the installed `@usefulsensors/moonshine-js`. */
export function moonshineTinyModelDir(): string {
  // The package exports only its browser bundle, so look for its folder where Node would.
  const paths = createRequire(import.meta.url).resolve.paths(MODEL_PACKAGE) ?? [];
  for (const base of paths) {
    const dir = join(base, MODEL_PACKAGE, TINY_MODEL_PATH);
    if (existsSync(join(dir, 'encoder_model.onnx'))) return dir;
  }
  throw new PacelineError(
    'E_INVALID_CONFIG',
    `amdWords.modelDir: the package ${MODEL_PACKAGE} is not installed (it ships the Moonshine tiny model); install it next to @paceline/amd-words or pass modelDir`,
    { field: 'modelDir' },
  );
}

function emptyPast(ort: OrtModule): Feeds {
  const past: Feeds = {};
  for (let layer = 0; layer < TINY_SHAPE.layers; layer++) {
    for (const part of ['decoder', 'encoder']) {
      for (const kind of ['key', 'value']) {
        past[`past_key_values.${layer}.${part}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
          0,
          TINY_SHAPE.kvHeads,
          1,
          TINY_SHAPE.headDim,
        ]);
      }
    }
  }
  return past;
}

/** The `k` likeliest next tokens of the last position, with their log-probabilities. */
function topTokens(logits: Ort.Tensor, k: number): { token: number; logProb: number }[] {
  const data = logits.data as Float32Array;
  const size = logits.dims[logits.dims.length - 1] ?? data.length;
  const offset = data.length - size;
  let max = -Infinity;
  for (let i = 0; i < size; i++) max = Math.max(max, data[offset + i] ?? -Infinity);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp((data[offset + i] ?? -Infinity) - max);
  const logNorm = max + Math.log(sum);
  const best: { token: number; logProb: number }[] = [];
  for (let token = 0; token < size; token++) {
    const logProb = (data[offset + token] ?? -Infinity) - logNorm;
    if (best.length < k || logProb > (best[best.length - 1] as { logProb: number }).logProb) {
      best.push({ token, logProb });
      best.sort((x, y) => y.logProb - x.logProb);
      if (best.length > k) best.pop();
    }
  }
  return best;
}
