import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, PacelineError, systemClock } from '@paceline/core';
import { DecoderWorker } from './decoder-worker';
import type { PhraseScores } from './phrase-scorer'; // issue-17 f2
import { type DecoderMethod, type DecoderMethods, type DecoderSettings, MIN_SAMPLES } from './worker-protocol';

/** The model package and where, inside it, the English tiny model (MIT) lies. */
const MODEL_PACKAGE = '@usefulsensors/moonshine-js';
const TINY_MODEL_PATH = 'dist/model/tiny/quantized';

/** What one transcription gave, and what it cost. */
export interface GreetingTranscript {
  /** The words heard, the likeliest reading (English; other languages come out as English-sounding guesses). */
  readonly text: string;
  /** The other readings the beam search kept (the n-best after `text`), for keyword search. */
  readonly alternatives: readonly string[];
  /** Wall time of the model's work for this greeting, ms, on the injected clock (waiting behind other calls not included). */
  readonly computeMs: number;
  /** Milliseconds of audio transcribed (after the `maxAudioMs` cut). */
  readonly audioMs: number;
  /**
   * Set when the worker did not answer within `requestTimeoutMs`: `text` is empty and there are
   * no alternatives (no evidence, so the call stays what the cadence made it, never a machine).
   */
  readonly timedOut?: true;
}

/**
 * A request the worker did not answer within `requestTimeoutMs` (it hung: a stuck ONNX Runtime
 * call, a thread starved for minutes). The request was answered with no evidence, the worker
 * thread was terminated and a new one started. Holds nothing about the call (no number, no words).
 */
export interface WorkerTimeoutEvent {
  /** A stable name for log queries. */
  readonly event: 'amd-words.worker-timeout';
  /** The request that hung. */
  readonly method: 'transcribe' | 'scorePhrases';
  /** The limit it exceeded, ms. */
  readonly timeoutMs: number;
  /** Audio sent with it, ms. */
  readonly audioMs: number;
}

/** The one log method the transcriber uses (pino's and `@paceline/core`'s `Logger`'s `warn` fit). */
export interface WarnLogger {
  warn(obj: object, msg?: string): void;
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
  /** The clock compute time is measured with, and the request timeout runs on (default `systemClock()`). */
  readonly clock?: Pick<Clock, 'now' | 'setTimer' | 'clearTimer'>;
  /**
   * How long one request (a transcription, a forced phrase scoring) may take in the worker, ms,
   * from the moment it is sent (waiting behind other requests not counted). Past it the request
   * resolves with no evidence (`timedOut: true`: no words, no phrase scores, so the call is not
   * made a machine), the worker thread is terminated and a new one is started (the model
   * reloads, ~2–7 s), and `onWorkerTimeout` / `logger` hear it. Default 20 000: a greeting takes
   * ~0.5–1 s quiet and ~11 s at worst on a 2-core host at load 30 (bench:amd). 1 000 to 120 000.
   */
  readonly requestTimeoutMs?: number;
  /** Hears each request that timed out (see `requestTimeoutMs`). Errors thrown by the listener are ignored. */
  readonly onWorkerTimeout?: (event: WorkerTimeoutEvent) => void;
  /**
   * Where a timed-out request is logged: `warn(event, message)`, the {@link WorkerTimeoutEvent}
   * as the object (a pino logger or `@paceline/core`'s `Logger` fits). Default: not logged.
   */
  readonly logger?: WarnLogger;
  /**
   * Hears that the worker thread died unexpectedly (a crash, an out-of-memory abort). The
   * transcription it was doing, if any, is rejected with the same `E_INTERNAL` error; the next
   * `transcribe` starts a new worker. Errors thrown by the listener are ignored.
   */
  readonly onWorkerError?: (error: PacelineError) => void;
  /**
   * The worker script to run (default: `transcription-worker.js` / `.cjs` beside this module in
   * the package's `dist`). Only for bundlers that move the package's files.
   */
  readonly workerFile?: string;
}

/**
 * Speech to text for call greetings with Moonshine tiny (English, 27 M parameters, quantized
 * ONNX shipped in the `@usefulsensors/moonshine-js` npm package, MIT), run on the CPU by
 * `onnxruntime-node`. Takes 8 kHz 16-bit telephone audio, upsamples it to the 16 kHz the model
 * wants, and decodes with a small beam search (n-best readings).
 *
 * All of that runs in one `worker_threads` Worker per transcriber, started by {@link load}: the
 * host's event loop (SIP timers, live answers) only posts the audio and receives the text.
 * Calls are queued, one greeting at a time. A worker that dies rejects the call it was serving
 * with `E_INTERNAL` (and tells `onWorkerError`); the next call starts a new worker (and reloads
 * the model, ~2–4 s). Nothing is downloaded: the model files come with the npm package.
 */
export class MoonshineTranscriber {
  readonly #settings: DecoderSettings;
  readonly #workerFile: string;
  readonly #maxSamples: number;
  readonly #clock: Pick<Clock, 'now' | 'setTimer' | 'clearTimer'>;
  readonly #onWorkerError: (error: PacelineError) => void;
  readonly #timeoutMs: number;
  readonly #onWorkerTimeout: (event: WorkerTimeoutEvent) => void;
  readonly #logger: WarnLogger | undefined;
  #worker: DecoderWorker | undefined;
  #starting: Promise<DecoderWorker> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    settings: DecoderSettings,
    workerFile: string,
    options: MoonshineTranscriberOptions,
    maxAudioMs: number,
    timeoutMs: number,
  ) {
    this.#settings = settings;
    this.#workerFile = workerFile;
    this.#maxSamples = Math.round(maxAudioMs * 8);
    this.#clock = options.clock ?? systemClock();
    this.#onWorkerError = options.onWorkerError ?? (() => undefined);
    this.#timeoutMs = timeoutMs;
    this.#onWorkerTimeout = options.onWorkerTimeout ?? (() => undefined);
    this.#logger = options.logger;
  }

  /**
   * Check the settings, start the worker and load the model in it (about 2–4 s, ~100 MB of
   * memory). Throws `E_INVALID_CONFIG` naming the setting: bad numbers, a `modelDir` without the
   * model files (the model package is not installed), model files ONNX Runtime cannot load, a
   * missing `onnxruntime-node`, or a worker script that is not there.
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
    const timeoutMs = options.requestTimeoutMs ?? 20_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 1_000 || timeoutMs > 120_000) {
      throw new PacelineError('E_INVALID_CONFIG', `amdWords.requestTimeoutMs: expected 1 000 to 120 000 ms, got ${timeoutMs}`, {
        field: 'requestTimeoutMs',
      });
    }
    const modelDir = options.modelDir ?? moonshineTinyModelDir();
    for (const file of ['encoder_model.onnx', 'decoder_model_merged.onnx']) {
      if (!existsSync(join(modelDir, file))) {
        throw new PacelineError(
          'E_INVALID_CONFIG',
          `amdWords.modelDir: ${join(modelDir, file)} not found; pass the folder of the Moonshine tiny ONNX model`,
          { field: 'modelDir' },
        );
      }
    }
    const workerFile = options.workerFile ?? builtWorkerFile();
    if (!existsSync(workerFile)) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `amdWords.workerFile: ${workerFile} not found; build @paceline/amd-words (pnpm build) or pass the path of its transcription-worker script`,
        { field: 'workerFile' },
      );
    }
    await holdRuntimeOnThisThread();
    const transcriber = new MoonshineTranscriber({ modelDir, threads, beams }, workerFile, options, maxAudioMs, timeoutMs);
    await transcriber.#ensureWorker();
    return transcriber;
  }

  /**
   * Transcribe 8 kHz 16-bit audio (one greeting), in the worker. Queued behind any
   * transcription already running. The audio is copied (at most `maxAudioMs` of it), so the
   * caller may reuse its buffer at once. Rejects with `E_INVALID_INPUT` for anything but an
   * `Int16Array`, `E_CLOSED` after {@link close}, and `E_INTERNAL` when the worker fails.
   */
  transcribe(samples: Int16Array): Promise<GreetingTranscript> {
    if (!(samples instanceof Int16Array)) {
      return Promise.reject(
        new PacelineError('E_INVALID_INPUT', `amdWords.transcribe: expected an Int16Array of 8 kHz samples, got ${describe(samples)}`, {
          field: 'samples',
        }),
      );
    }
    const copy = samples.slice(0, this.#maxSamples);
    const audioMs = copy.length / 8;
    if (copy.length < MIN_SAMPLES) {
      if (this.#closed) return Promise.reject(closedError());
      return Promise.resolve({ text: '', alternatives: [], computeMs: 0, audioMs });
    }
    return this.#request('transcribe', { samples: copy }, [copy.buffer as ArrayBuffer]).then(({ result, computeMs }) =>
      result === undefined
        ? { text: '', alternatives: [], computeMs, audioMs, timedOut: true }
        : { text: result.text, alternatives: result.alternatives, computeMs, audioMs },
    );
  }

  // issue-17 f2: forced scoring of key phrases (phrase-scorer.ts), in the worker, queued like a transcription.
  /**
   * How likely the model finds each phrase in the greeting (see `scorePhrases` in
   * `phrase-scorer.ts`), in the worker, queued like {@link transcribe}; the audio is copied.
   * Rejects as {@link transcribe} does.
   */
  scorePhrases(samples: Int16Array, phrases: readonly string[]): Promise<PhraseScores> {
    if (!(samples instanceof Int16Array)) {
      return Promise.reject(
        new PacelineError('E_INVALID_INPUT', `amdWords.scorePhrases: expected an Int16Array of 8 kHz samples, got ${describe(samples)}`, {
          field: 'samples',
        }),
      );
    }
    const copy = samples.slice(0, this.#maxSamples);
    return this.#request('scorePhrases', { samples: copy, phrases: [...phrases] }, [copy.buffer as ArrayBuffer]).then(
      ({ result, computeMs }) =>
        result === undefined ? { ...noPhraseEvidence(phrases), computeMs, timedOut: true } : { ...result, computeMs },
    );
  }

  /** Let queued transcriptions finish, then free the model and end the worker thread. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await this.#starting?.catch(() => undefined); // a replacement for a timed-out worker
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.close();
  }

  /**
   * One request to the worker (a method of `DecoderMethods`), queued behind the others: a new
   * worker first if there is none or the last one died; the compute time is measured on the
   * injected clock from the moment the request is sent. Every decoder method goes through here.
   * `result` is undefined when the worker did not answer within the request timeout (see
   * {@link #callWithin}).
   */
  #request<M extends DecoderMethod>(
    method: M,
    params: DecoderMethods[M]['params'],
    transfer: readonly ArrayBuffer[],
  ): Promise<{ readonly result: DecoderMethods[M]['result'] | undefined; readonly computeMs: number }> {
    const audioMs = params.samples.length / 8;
    const run = this.#queue.then(async () => {
      if (this.#closed) throw closedError();
      const worker = await this.#ensureWorker();
      const started = this.#clock.now();
      const answer = await this.#callWithin(worker, method, audioMs, worker.call(method, params, transfer));
      return { result: answer?.result, computeMs: this.#clock.now() - started };
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * `call`'s answer, or undefined when it has not come within the request timeout: then the
   * worker is terminated (its pending call rejects, unheard), a new one is started at once (its
   * load failing here is not reported: the next request retries it and rejects clearly), and the
   * timeout is reported. Nothing thrown from the timer reaches the host.
   */
  #callWithin<R>(
    worker: DecoderWorker,
    method: DecoderMethod,
    audioMs: number,
    call: Promise<R>,
  ): Promise<{ readonly result: R } | undefined> {
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimer(this.#timeoutMs, () => {
        resolve(undefined);
        const reason = new PacelineError(
          'E_INTERNAL',
          `amdWords: the transcription worker did not answer a ${method} request within ${this.#timeoutMs} ms; it was terminated and a new one started`,
          { method, timeoutMs: this.#timeoutMs, where: 'transcription worker' },
        );
        worker.terminate(reason).catch(() => undefined);
        if (!this.#closed) this.#ensureWorker().catch(() => undefined);
        this.#reportTimeout({ event: 'amd-words.worker-timeout', method, timeoutMs: this.#timeoutMs, audioMs });
      });
      call.then(
        (result) => {
          this.#clock.clearTimer(timer);
          resolve({ result });
        },
        (error: unknown) => {
          this.#clock.clearTimer(timer);
          reject(error);
        },
      );
    });
  }

  #reportTimeout(event: WorkerTimeoutEvent): void {
    try {
      this.#logger?.warn(event, 'amd-words: a transcription worker request timed out; answered with no evidence, worker replaced');
    } catch {
      // a logger's error never reaches the timer
    }
    try {
      this.#onWorkerTimeout(event);
    } catch {
      // nor a listener's
    }
  }

  /**
   * The running worker, or a new one when there is none yet or the last one died or was
   * terminated; one start at a time (a request and a timeout's replacement share it).
   */
  #ensureWorker(): Promise<DecoderWorker> {
    if (this.#worker && !this.#worker.ended) return Promise.resolve(this.#worker);
    this.#worker = undefined;
    if (!this.#starting) {
      const starting = DecoderWorker.start(this.#workerFile, this.#settings, (error) => this.#onWorkerError(error)).then((worker) => {
        this.#worker = worker;
        return worker;
      });
      this.#starting = starting;
      const clear = () => {
        if (this.#starting === starting) this.#starting = undefined;
      };
      starting.then(clear, clear);
    }
    return this.#starting;
  }
}

/**
 * Load onnxruntime-node's native addon on the host's thread too (it runs nothing here). A Node
 * addon stays registered only while some thread that loaded it is alive: when the only worker
 * that had loaded it exits (closed, or crashed), a new worker fails with "Module did not
 * self-register", so no transcriber could restart or be created again. The host's thread lives
 * as long as the process. Also fails early, with `E_INVALID_CONFIG`, when the runtime is missing.
 */
async function holdRuntimeOnThisThread(): Promise<void> {
  try {
    await import('onnxruntime-node');
  } catch (error) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'amdWords: onnxruntime-node is not installed (an optional peer of @paceline/amd-words); install onnxruntime-node@1.22.0 and @usefulsensors/moonshine-js@0.1.21 beside it',
      { field: 'onnxruntime-node', error: String(error) },
    );
  }
}

/**
 * The built worker script beside this module: `.js` in the ESM build, `.cjs` in the CJS build.
 * From the TypeScript sources (tests, benches) it is the package's `dist` build.
 */
function builtWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const extension = extname(here);
  if (extension === '.js' || extension === '.cjs' || extension === '.mjs') return join(dirname(here), `transcription-worker${extension}`);
  return join(dirname(here), '..', 'dist', 'transcription-worker.js');
}

/** What a timed-out phrase scoring answers: every phrase unheard. */
function noPhraseEvidence(phrases: readonly string[]): PhraseScores {
  return {
    text: '',
    scores: phrases.map((phrase) => ({ phrase, logProb: -Infinity, worstWordLogProb: -Infinity, atWord: 0, margin: -Infinity })),
  };
}

function closedError(): PacelineError {
  return new PacelineError('E_CLOSED', 'amdWords.transcribe: the transcriber is closed', {});
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
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
