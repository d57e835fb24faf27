// issue-17 f2: forced scoring of key phrases (keyword spotting on the model's own likelihoods).
import type { LlamaTokenizer } from 'llama-tokenizer-js';
import type * as Ort from 'onnxruntime-node';
import { DECODER_START_TOKEN, END_TOKEN, type Feeds, TINY_SHAPE, TOKENS_PER_SECOND } from './moonshine-tiny';
import { upsample2x } from './upsample';

/** The word-start marker of the model's SentencePiece vocabulary. */
const WORD_START = '▁';

/** How likely the model finds one phrase in a greeting. */
export interface PhraseScore {
  /** The phrase, as asked. */
  readonly phrase: string;
  /**
   * Its best log-likelihood: the sum over its tokens of ln P(token | audio, the words before),
   * forced after the greedy reading's first `atWord` words (the best such point), in lower case
   * or with a capital (whichever the model prefers). 0 would be certain; a phrase the audio does
   * not hold scores far below −10.
   */
  readonly logProb: number;
  /** The lowest log-probability of one of its words at that point (its least likely word). */
  readonly worstWordLogProb: number;
  /** Words of the greedy reading before the phrase at its best point. */
  readonly atWord: number;
  /**
   * The best, over the points, of `logProb` minus what the greedy reading's own next tokens
   * (as many as the phrase has) score there: near 0 or above when the model finds the phrase as
   * likely as what it heard; far below when it heard something else clearly.
   */
  readonly margin: number;
}

/** What {@link scorePhrases} found. */
export interface PhraseScores {
  /** The greedy reading (the prefixes the phrases were forced after). */
  readonly text: string;
  /** One score per phrase asked, in order. */
  readonly scores: readonly PhraseScore[];
  /** Wall time of the model's work, ms (set by the transcriber, which owns the clock). */
  readonly computeMs?: number;
  /** Set when the worker did not answer in time: every score is −Infinity (no evidence). */
  readonly timedOut?: true;
}

/** The model's parts {@link scorePhrases} needs (those of a loaded `MoonshineTranscriber`). */
export interface PhraseScorerModel {
  readonly ort: typeof Ort;
  readonly tokenizer: LlamaTokenizer;
  readonly encoder: Ort.InferenceSession;
  readonly decoder: Ort.InferenceSession;
}

/** One way of writing a phrase: its tokens and where each of its words starts among them. */
interface Spelling {
  readonly phrase: number;
  readonly tokens: readonly number[];
  readonly wordStarts: readonly number[];
}

/**
 * Scores how likely the audio says each phrase, by teacher forcing: the greedy reading is decoded
 * once, keeping the decoder's state at each word start; at each of those points every phrase is
 * fed to the decoder as the continuation, and the log-probabilities it gives the phrase's tokens
 * are summed. A phrase the beam search misheard ("leave my marriage") still scores high when the
 * audio holds it, because the model is asked about those exact words. Phrases are scored in one
 * batch per point. `samples`: 8 kHz 16-bit audio (one greeting).
 */
export async function scorePhrases(model: PhraseScorerModel, samples: Int16Array, phrases: readonly string[]): Promise<PhraseScores> {
  const { ort, decoder } = model;
  const audioMs = samples.length / 8;
  if (samples.length < 2_400 || phrases.length === 0) {
    return {
      text: '',
      scores: phrases.map((phrase) => ({ phrase, logProb: -Infinity, worstWordLogProb: -Infinity, atWord: 0, margin: -Infinity })),
    };
  }
  const audio = upsample2x(samples);
  const encoded = await model.encoder.run({ input_values: new ort.Tensor('float32', audio, [1, audio.length]) });
  const hidden = encoded.last_hidden_state as Ort.Tensor;
  // Each phrase in lower case, and with a capital (the model writes "Leave" at a sentence start).
  const lower = phrases.map((p, i) => spell(model.tokenizer, p.trim().toLowerCase(), i));
  const capital = phrases.map((p, i) => {
    const text = p.trim().toLowerCase();
    return spell(model.tokenizer, text.charAt(0).toUpperCase() + text.slice(1), i);
  });

  // Greedy decoding; at each word start (and at the end) the phrases are forced from the state there.
  const best = phrases.map((phrase) => ({ phrase, logProb: -Infinity, worstWordLogProb: -Infinity, atWord: 0, margin: -Infinity }));
  /** Each forced point: the step, and each phrase's log-probability and token count there. */
  const points: { step: number; scored: { phrase: number; logProb: number; tokens: number }[] }[] = [];
  /** ln P of each greedy token (the last is the end, or the cut). */
  const greedy: number[] = [];
  const maxTokens = Math.max(4, Math.trunc((audioMs / 1_000) * TOKENS_PER_SECOND));
  let past = emptyPast(ort, 1);
  let token = DECODER_START_TOKEN;
  const tokens: number[] = [];
  let words = 0;
  for (let step = 0; step <= maxTokens; step++) {
    const output = await decoder.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(token)), [1, 1]),
      encoder_hidden_states: hidden,
      use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
      ...past,
    });
    past = nextPast(past, output, step === 0);
    const logits = output.logits as Ort.Tensor;
    const next = argmax(logits);
    greedy.push(logSoftmaxAt(logits, 0, next));
    const nextPiece = model.tokenizer.vocabById[next] ?? '';
    const wordStart = step === 0 || next === END_TOKEN || nextPiece.startsWith(WORD_START) || step === maxTokens;
    if (wordStart) {
      const last = model.tokenizer.vocabById[tokens.at(-1) ?? -1] ?? '';
      const sentenceStart = tokens.length === 0 || /[.?!]$/.test(last);
      const scored = await forcePhrases(model, hidden, past, logits, sentenceStart ? capital : lower);
      points.push({ step, scored });
      for (const s of scored) {
        const b = best[s.phrase] as (typeof best)[number];
        if (s.logProb > b.logProb) Object.assign(b, { logProb: s.logProb, worstWordLogProb: s.worstWordLogProb, atWord: words });
      }
      if (step > 0) words++;
    }
    if (next === END_TOKEN || step === maxTokens) break;
    tokens.push(next);
    token = next;
  }
  for (const { step, scored } of points) {
    for (const s of scored) {
      const own = greedy.slice(step, step + s.tokens).reduce((a, b) => a + b, 0);
      const b = best[s.phrase] as (typeof best)[number];
      b.margin = Math.max(b.margin, s.logProb - own);
    }
  }
  const vocabulary = model.tokenizer.vocabById.length;
  const text = model.tokenizer
    .decode(
      tokens.filter((t) => t > END_TOKEN && t < vocabulary),
      false,
      false,
    )
    .trim();
  return { text, scores: best };
}

/** A phrase's tokens (as a word of running text: with the word-start marker) and its words' first tokens. */
function spell(tokenizer: LlamaTokenizer, text: string, index: number): Spelling {
  const tokens = tokenizer.encode(text, false, true);
  const wordStarts = tokens.flatMap((t, i) => ((tokenizer.vocabById[t] ?? '').startsWith(WORD_START) ? [i] : []));
  return { phrase: index, tokens, wordStarts };
}

/**
 * Feed every spelling from the decoder state `past` (whose next-token logits are `first`), in
 * one batch, and sum each spelling's token log-probabilities.
 */
async function forcePhrases(
  model: PhraseScorerModel,
  hidden: Ort.Tensor,
  past: Feeds,
  first: Ort.Tensor,
  spellings: readonly Spelling[],
): Promise<{ phrase: number; logProb: number; worstWordLogProb: number; tokens: number }[]> {
  const { ort, decoder } = model;
  const n = spellings.length;
  const longest = Math.max(...spellings.map((s) => s.tokens.length));
  const tokenLogProbs = spellings.map((s) => [logSoftmaxAt(first, 0, s.tokens[0] as number)]);
  let batchPast = repeatPast(ort, past, n);
  const batchHidden = repeat(ort, hidden, n);
  for (let j = 1; j < longest; j++) {
    const ids = BigInt64Array.from(spellings, (s) => BigInt(s.tokens[j - 1] ?? END_TOKEN));
    const output = await decoder.run({
      input_ids: new ort.Tensor('int64', ids, [n, 1]),
      encoder_hidden_states: batchHidden,
      use_cache_branch: new ort.Tensor('bool', [true], [1]),
      ...batchPast,
    });
    batchPast = nextPast(batchPast, output, false);
    const logits = output.logits as Ort.Tensor;
    spellings.forEach((s, row) => {
      const t = s.tokens[j];
      if (t !== undefined) (tokenLogProbs[row] as number[]).push(logSoftmaxAt(logits, row, t));
    });
  }
  const byPhrase = new Map<number, { phrase: number; logProb: number; worstWordLogProb: number; tokens: number }>();
  spellings.forEach((s, row) => {
    const lp = tokenLogProbs[row] as number[];
    const logProb = lp.reduce((a, b) => a + b, 0);
    let worstWordLogProb = 0;
    s.wordStarts.forEach((start, w) => {
      const end = s.wordStarts[w + 1] ?? lp.length;
      worstWordLogProb = Math.min(
        worstWordLogProb,
        lp.slice(start, end).reduce((a, b) => a + b, 0),
      );
    });
    const kept = byPhrase.get(s.phrase);
    if (!kept || logProb > kept.logProb) byPhrase.set(s.phrase, { phrase: s.phrase, logProb, worstWordLogProb, tokens: s.tokens.length });
  });
  return [...byPhrase.values()];
}

/** The decoder state after a step: its own keys/values grow; the encoder's are computed once, on the first step. */
function nextPast(past: Feeds, output: Record<string, Ort.Tensor | unknown>, firstStep: boolean): Feeds {
  const next: Feeds = {};
  for (const name of Object.keys(past)) {
    const present = output[name.replace('past_key_values', 'present')] as Ort.Tensor;
    next[name] = firstStep || name.includes('.decoder.') ? present : (past[name] as Ort.Tensor);
  }
  return next;
}

function emptyPast(ort: typeof Ort, batch: number): Feeds {
  const past: Feeds = {};
  for (let layer = 0; layer < TINY_SHAPE.layers; layer++) {
    for (const part of ['decoder', 'encoder']) {
      for (const kind of ['key', 'value']) {
        past[`past_key_values.${layer}.${part}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
          batch,
          TINY_SHAPE.kvHeads,
          0,
          TINY_SHAPE.headDim,
        ]);
      }
    }
  }
  return past;
}

function repeatPast(ort: typeof Ort, past: Feeds, n: number): Feeds {
  const out: Feeds = {};
  for (const [name, tensor] of Object.entries(past)) out[name] = repeat(ort, tensor, n);
  return out;
}

/** A batch-1 float tensor repeated `n` times along its first axis. */
function repeat(ort: typeof Ort, tensor: Ort.Tensor, n: number): Ort.Tensor {
  const data = tensor.data as Float32Array;
  const out = new Float32Array(data.length * n);
  for (let i = 0; i < n; i++) out.set(data, i * data.length);
  return new ort.Tensor('float32', out, [n, ...tensor.dims.slice(1)]);
}

function argmax(logits: Ort.Tensor): number {
  const data = logits.data as Float32Array;
  const size = logits.dims[logits.dims.length - 1] ?? data.length;
  const offset = data.length - size;
  let best = 0;
  for (let i = 1; i < size; i++) if ((data[offset + i] as number) > (data[offset + best] as number)) best = i;
  return best;
}

/** ln P(token) at the last position of batch row `row`. */
function logSoftmaxAt(logits: Ort.Tensor, row: number, token: number): number {
  const data = logits.data as Float32Array;
  const size = logits.dims[logits.dims.length - 1] ?? data.length;
  const rowLength = data.length / (logits.dims[0] ?? 1);
  const offset = row * rowLength + rowLength - size;
  let max = -Infinity;
  for (let i = 0; i < size; i++) max = Math.max(max, data[offset + i] as number);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp((data[offset + i] as number) - max);
  return (data[offset + token] as number) - max - Math.log(sum);
}
