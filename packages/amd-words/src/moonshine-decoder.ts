import { join } from 'node:path';
import type { LlamaTokenizer } from 'llama-tokenizer-js';
import type * as Ort from 'onnxruntime-node';
import { DECODER_START_TOKEN, END_TOKEN, type Feeds, TINY_SHAPE, TOKENS_PER_SECOND } from './moonshine-tiny';
import { type PhraseScores, scorePhrases } from './phrase-scorer'; // issue-17 f2
import { upsample2x } from './upsample';
import { type DecoderSettings, MIN_SAMPLES, type Transcription, WorkerFailure } from './worker-protocol';

type OrtModule = typeof Ort;

/** One hypothesis of the beam search. */
interface Beam {
  readonly tokens: readonly number[];
  readonly logProb: number;
  readonly past: Feeds;
  readonly done: boolean;
}

/** onnxruntime-node, an optional peer: loaded on first use, with a clear error when it is missing. */
async function loadRuntime(): Promise<OrtModule> {
  try {
    const loaded = (await import('onnxruntime-node')) as OrtModule & { default?: OrtModule };
    return loaded.InferenceSession ? loaded : (loaded.default as OrtModule);
  } catch (error) {
    throw new WorkerFailure(
      'E_INVALID_CONFIG',
      'onnxruntime-node is not installed (an optional peer of @paceline/amd-words); install onnxruntime-node@1.22.0 and @usefulsensors/moonshine-js@0.1.21 beside it',
      { field: 'onnxruntime-node', error: String(error) },
    );
  }
}

/**
 * The model work itself: Moonshine tiny's encoder and decoder sessions, the tokenizer, and the
 * beam search with a KV cache. It runs where it is created — inside the transcriber's worker
 * thread (`transcription-worker.ts`), never on the host's event loop: the soft-max over 32 768
 * tokens per reading and step is plain JavaScript. Each public async method here is one request
 * the worker serves (see `DECODER_METHODS` in `transcription-worker.ts`).
 */
export class MoonshineDecoder {
  readonly #ort: OrtModule;
  readonly #tokenizer: LlamaTokenizer;
  readonly #encoder: Ort.InferenceSession;
  readonly #decoder: Ort.InferenceSession;
  readonly #beams: number;

  private constructor(
    ort: OrtModule,
    tokenizer: LlamaTokenizer,
    encoder: Ort.InferenceSession,
    decoder: Ort.InferenceSession,
    beams: number,
  ) {
    this.#ort = ort;
    this.#tokenizer = tokenizer;
    this.#encoder = encoder;
    this.#decoder = decoder;
    this.#beams = beams;
  }

  /** Load the sessions and the tokenizer (settings already checked by the transcriber). */
  static async load(settings: DecoderSettings): Promise<MoonshineDecoder> {
    const ort = await loadRuntime();
    const session: Ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: settings.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const encoder = await createSession(ort, join(settings.modelDir, 'encoder_model.onnx'), session);
    const decoder = await createSession(ort, join(settings.modelDir, 'decoder_model_merged.onnx'), session);
    // An ES module; imported here, not at the top, so that the CJS build can load it too.
    const tokenizer = ((await import('llama-tokenizer-js')) as { default: LlamaTokenizer }).default;
    return new MoonshineDecoder(ort, tokenizer, encoder, decoder, settings.beams);
  }

  /** Free the model's sessions. */
  async release(): Promise<void> {
    await this.#encoder.release();
    await this.#decoder.release();
  }

  /** issue-17 f2: how likely the model finds each phrase in the greeting (see `scorePhrases` in `phrase-scorer.ts`). */
  scorePhrases(samples: Int16Array, phrases: readonly string[]): Promise<PhraseScores> {
    return scorePhrases({ ort: this.#ort, tokenizer: this.#tokenizer, encoder: this.#encoder, decoder: this.#decoder }, samples, phrases);
  }

  /** 8 kHz 16-bit audio (one greeting, already cut to the longest kept) to its n-best readings. */
  async transcribe(samples: Int16Array): Promise<Transcription> {
    if (samples.length < MIN_SAMPLES) return { text: '', alternatives: [] };
    const audioMs = samples.length / 8;
    const hidden = await this.#encode(samples);
    const ort = this.#ort;
    // Beam search: `#beams` open readings extended a token at a time; a reading that ends leaves
    // the beam for the finished list. Finished readings are ranked by log-probability per token,
    // so short ones (an early end) do not win by having fewer tokens to pay for.
    let open: Beam[] = [{ tokens: [], logProb: 0, past: emptyPast(ort), done: false }];
    const finished: Beam[] = [];
    const maxTokens = Math.max(4, Math.trunc((audioMs / 1_000) * TOKENS_PER_SECOND));
    for (let step = 0; step < maxTokens && open.length > 0 && finished.length < this.#beams; step++) {
      const candidates: Beam[] = [];
      for (const beam of open) {
        const output = await this.#decodeStep(hidden, beam, step);
        for (const { token, logProb } of topTokens(output.logits, this.#beams)) {
          const done = token === END_TOKEN;
          candidates.push({
            tokens: done ? beam.tokens : [...beam.tokens, token],
            logProb: beam.logProb + logProb,
            past: output.past,
            done,
          });
        }
      }
      candidates.sort((a, b) => b.logProb - a.logProb);
      const kept = candidates.slice(0, this.#beams);
      finished.push(...kept.filter((b) => b.done));
      open = kept.filter((b) => !b.done);
    }
    const perToken = (b: Beam) => b.logProb / (b.tokens.length + 1);
    const beams = [...finished, ...open].sort((a, b) => perToken(b) - perToken(a)).slice(0, this.#beams);
    const texts = beams.map((b) => this.#text(b.tokens));
    const [text = '', ...rest] = texts;
    const alternatives = rest.filter((t, i) => t !== text && rest.indexOf(t) === i);
    return { text, alternatives };
  }

  /** The encoder's hidden states for 8 kHz audio (upsampled to the model's 16 kHz). */
  async #encode(samples: Int16Array): Promise<Ort.Tensor> {
    const audio = upsample2x(samples);
    const encoded = await this.#encoder.run({ input_values: new this.#ort.Tensor('float32', audio, [1, audio.length]) });
    return encoded.last_hidden_state as Ort.Tensor;
  }

  /** One decoder step for `beam`: the next token's logits, and the KV cache to extend it with. */
  async #decodeStep(hidden: Ort.Tensor, beam: Pick<Beam, 'tokens' | 'past'>, step: number): Promise<{ logits: Ort.Tensor; past: Feeds }> {
    const ort = this.#ort;
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
    return { logits: output.logits as Ort.Tensor, past };
  }

  /** Token ids to text (ids past the tokenizer's vocabulary, Moonshine's specials, are dropped). */
  #text(tokens: readonly number[]): string {
    const vocabulary = this.#tokenizer.vocabById.length;
    return this.#tokenizer
      .decode(
        tokens.filter((t) => t > END_TOKEN && t < vocabulary),
        false,
        false,
      )
      .trim();
  }
}

/** An ONNX Runtime session for one model file; a file it cannot load is a configuration error naming it. */
async function createSession(ort: OrtModule, file: string, options: Ort.InferenceSession.SessionOptions): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(file, options);
  } catch (error) {
    throw new WorkerFailure(
      'E_INVALID_CONFIG',
      `amdWords.modelDir: ONNX Runtime could not load ${file} (${String(error)}); pass the folder of the Moonshine tiny ONNX model`,
      {
        field: 'modelDir',
      },
    );
  }
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
