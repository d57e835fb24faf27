// The greeting-words stage of `bench:amd` (issue 17): runs the detector with Moonshine tiny
// transcribing greetings, records what each transcription cost, and re-scores the phrase
// threshold on the tune half from the transcripts (no second transcription needed).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MoonshineTranscriber, moonshineTinyModelDir } from '../../packages/amd-words/src/index'; // issue-17 worker: + moonshineTinyModelDir
import { MoonshineDecoder } from '../../packages/amd-words/src/moonshine-decoder'; // issue-17 worker: the pre-worker path, the loop-impact baseline
import {
  type AmdOptions,
  type AmdWordsRun,
  detectAnsweringMachineWithWords,
  type GreetingTranscriber,
  GreetingWords,
  type GreetingWordsOptions,
  MachinePhraseMatcher,
} from '../../packages/trunk-sip/src/index';
import { percentile } from './table';

/** One transcription's cost. */
export interface WordsCost {
  readonly computeMs: number;
  readonly audioMs: number;
}

/** The loaded stage, and the cost of every transcription it made. */
export interface WordsBench {
  readonly words: GreetingWords;
  readonly options: GreetingWordsOptions;
  readonly transcriber: MoonshineTranscriber;
  readonly costs: WordsCost[];
  readonly loadMs: number;
  readonly beams: number;
  /** issue-17 f2: the forced phrase scores of the case being run (set by the words stage). */
  forcedScores: readonly ForcedScore[] | undefined;
  /** issue-17 f2: cost of each forced scoring. */
  readonly forcedCosts: WordsCost[];
}

/** issue-17 f2: one forced phrase score. */
export interface ForcedScore {
  readonly phrase: string;
  readonly logProb: number;
  readonly margin: number;
}

/** issue-17 f2: a run with the forced scores its greeting got (none if the words matched a reading or did not run). */
export interface ForcedRun extends AmdWordsRun {
  readonly forcedScores: readonly ForcedScore[] | undefined;
}

/** Load Moonshine tiny (fails with the package's clear error when the model is missing); `beams` 1 is greedy. */
export async function loadWordsBench(options: GreetingWordsOptions, now: () => number, beams: number): Promise<WordsBench> {
  const started = now();
  const transcriber = await MoonshineTranscriber.load({ beams });
  const loadMs = now() - started;
  const costs: WordsCost[] = [];
  const forcedCosts: WordsCost[] = [];
  const recording: GreetingTranscriber = {
    transcribe: async (samples) => {
      const transcript = await transcriber.transcribe(samples);
      costs.push({ computeMs: transcript.computeMs, audioMs: transcript.audioMs });
      return transcript;
    },
    // issue-17 f2: forced phrase scoring, recorded per case for the threshold grid.
    scorePhrases: async (samples, phrases) => {
      const scored = await transcriber.scorePhrases(samples, phrases);
      forcedCosts.push({ computeMs: scored.computeMs ?? 0, audioMs: samples.length / 8 });
      bench.forcedScores = [...(bench.forcedScores ?? []), ...scored.scores]; // every play rate
      return scored;
    },
  };
  const bench: WordsBench = {
    words: new GreetingWords(recording, options),
    options,
    transcriber,
    costs,
    loadMs,
    beams,
    forcedScores: undefined,
    forcedCosts,
  };
  return bench;
}

/** Run every case through the detector with the words stage, one at a time. */
export async function runWithWords<C extends { readonly samples: Int16Array }>(
  cases: readonly C[],
  bench: WordsBench,
  options: AmdOptions,
): Promise<ForcedRun[]> {
  const runs: ForcedRun[] = [];
  for (const c of cases) {
    bench.forcedScores = undefined;
    const run = await detectAnsweringMachineWithWords(c.samples, bench.words, options);
    runs.push({ ...run, forcedScores: bench.forcedScores });
  }
  return runs;
}

/**
 * issue-17 f2: the final result a call would have had with another forced-scoring margin (or
 * none: `undefined` gives the text-only stage). Forced scoring runs only when no reading held a
 * phrase, so re-deciding from the recorded scores is exact.
 */
export function reforce(
  withoutWords: AmdWordsRun['finalResult'],
  run: ForcedRun,
  minMargin: number | undefined,
): AmdWordsRun['finalResult'] {
  if (run.finalResult === 'machine' && !run.words?.match?.forced) return 'machine';
  if (minMargin === undefined || !run.forcedScores) return withoutWords;
  return run.forcedScores.some((s) => s.margin >= minMargin) ? 'machine' : withoutWords;
}

/**
 * The event loop while greetings are transcribed and nothing else runs. // issue-17 worker:
 * `transcriber` is the worker-backed MoonshineTranscriber (the loop only posts audio and gets text) // issue-17 worker:
 * or {@link inThreadDecoder} (the pre-worker path: upsampling, ONNX Runtime's run and the token loop on this thread). // issue-17 worker:
 */
export async function loopImpact(greetings: readonly Int16Array[], transcriber: { transcribe(samples: Int16Array): Promise<unknown> }) {
  // issue-17 worker:
  const histogram = monitorEventLoopDelay({ resolution: 1 }); // issue-17 worker: 1 ms resolution (was 5), both paths alike
  histogram.enable();
  for (const g of greetings) await transcriber.transcribe(g);
  histogram.disable();
  return {
    transcriptions: greetings.length,
    loopDelayP99Ms: Math.round(histogram.percentile(99) / 1e4) / 100,
    loopDelayMaxMs: Math.round(histogram.max / 1e4) / 100,
  };
}

/** issue-17 worker: the decoder loaded on this thread, as before the worker (the baseline); `release()` when done. */
export async function inThreadDecoder(beams: number): Promise<MoonshineDecoder> {
  // issue-17 worker:
  return MoonshineDecoder.load({ modelDir: moonshineTinyModelDir(), threads: 1, beams }); // issue-17 worker:
} // issue-17 worker:

/** Costs summarised (ms). */
export function costSummary(costs: readonly WordsCost[]) {
  const compute = costs.map((c) => c.computeMs);
  return {
    transcriptions: costs.length,
    computeMsP50: Math.round(percentile(compute, 0.5)),
    computeMsP95: Math.round(percentile(compute, 0.95)),
    computeMsMax: Math.round(Math.max(0, ...compute)),
    audioMsP50: Math.round(
      percentile(
        costs.map((c) => c.audioMs),
        0.5,
      ),
    ),
    /** Compute time per second of audio (real-time factor). */
    realTimeFactor:
      Math.round(
        (compute.reduce((a, b) => a + b, 0) /
          Math.max(
            1,
            costs.reduce((a, c) => a + c.audioMs, 0),
          )) *
          1000,
      ) / 1000,
  };
}

/**
 * The final result a call would have had with another phrase threshold: the words only ever turn
 * a call that did not end as a machine (`withoutWords`, the cadence-only run) into one, so
 * re-matching the transcript is exact.
 */
export function rematch(
  withoutWords: AmdWordsRun['finalResult'],
  run: AmdWordsRun,
  matcher: MachinePhraseMatcher,
): AmdWordsRun['finalResult'] {
  if (withoutWords === 'machine') return 'machine';
  const words = run.words;
  return words && [words.text, ...words.alternatives].some((t) => matcher.match(t)) ? 'machine' : withoutWords;
}

/** Matchers for the tune grid. */
export function thresholdGrid(phrases?: readonly string[]): { ratio: number; matcher: MachinePhraseMatcher }[] {
  return [0, 0.1, 0.15, 0.2, 0.25, 0.3].map((ratio) => ({
    ratio,
    matcher: new MachinePhraseMatcher(phrases ? { phrases, maxEditRatio: ratio } : { maxEditRatio: ratio }),
  }));
}
