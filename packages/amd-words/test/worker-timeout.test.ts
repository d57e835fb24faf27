import { type PacelineError, silentLogger, systemClock } from '@paceline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MoonshineTranscriber, type WarnLogger, type WorkerTimeoutEvent } from '../src/index';
import { GREETING, STAND_IN_WORKER, standInModelDir } from './fixtures/stand-in-worker';

/** Paceline's own Logger (and so a pino logger) fits the transcriber's `logger` option. */
export const loggerFits: WarnLogger = silentLogger;

// A worker that hangs (alive, spinning, never answering): the stand-in worker in mode `hang`
// spins forever on its first worker's requests.
const TIMEOUT_MS = 1_000;

describe('MoonshineTranscriber: a worker that hangs', () => {
  let model: ReturnType<typeof standInModelDir> | undefined;
  let transcriber: MoonshineTranscriber | undefined;
  afterEach(async () => {
    await transcriber?.close();
    transcriber = undefined;
    model?.remove();
  });

  async function load(heard: { timeouts: WorkerTimeoutEvent[]; logged: [object, string | undefined][]; crashes: PacelineError[] }) {
    model = standInModelDir('hang');
    transcriber = await MoonshineTranscriber.load({
      modelDir: model.dir,
      workerFile: STAND_IN_WORKER,
      clock: systemClock(),
      requestTimeoutMs: TIMEOUT_MS,
      onWorkerTimeout: (event) => heard.timeouts.push(event),
      onWorkerError: (error) => heard.crashes.push(error),
      logger: { warn: (obj: object, msg?: string) => heard.logged.push([obj, msg]) },
    });
    return transcriber;
  }

  it('answers a hung transcription with no evidence after the timeout, reports it, and replaces the worker', async () => {
    const heard = { timeouts: [] as WorkerTimeoutEvent[], logged: [] as [object, string | undefined][], crashes: [] as PacelineError[] };
    const t = await load(heard);
    const hung = t.transcribe(GREETING);
    const queued = t.transcribe(GREETING.subarray(0, 4_000)); // waits behind the hung request
    const answer = await hung;
    expect(answer).toMatchObject({ text: '', alternatives: [], audioMs: 1_000, timedOut: true });
    expect(answer.computeMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    const event = { event: 'amd-words.worker-timeout', method: 'transcribe', timeoutMs: TIMEOUT_MS, audioMs: 1_000 };
    expect(heard.timeouts).toEqual([event]);
    expect(heard.logged).toEqual([[event, expect.stringMatching(/timed out; answered with no evidence, worker replaced/)]]);
    // The structured event says nothing about the call: only these four fields.
    expect(Object.keys(heard.timeouts[0] ?? {}).sort()).toEqual(['audioMs', 'event', 'method', 'timeoutMs']);
    // The next request runs on a new worker; a terminated worker is not a crash.
    await expect(queued).resolves.toMatchObject({ text: 'worker 2 heard 4000 samples', audioMs: 500 });
    expect(model?.starts()).toBe('xx');
    expect(heard.crashes).toEqual([]);
    await expect(t.transcribe(GREETING)).resolves.toMatchObject({ text: 'worker 2 heard 8000 samples' });
    expect(heard.timeouts).toHaveLength(1);
  }, 30_000);

  it('answers a hung forced phrase scoring with every phrase unheard (never a machine), and starts a new worker at once', async () => {
    const heard = { timeouts: [] as WorkerTimeoutEvent[], logged: [] as [object, string | undefined][], crashes: [] as PacelineError[] };
    const t = await load(heard);
    const phrases = ['leave a message', 'after the tone'];
    const answer = await t.scorePhrases(GREETING, phrases);
    expect(answer.timedOut).toBe(true);
    expect(answer.scores.map((s) => [s.phrase, s.margin, s.logProb])).toEqual(phrases.map((p) => [p, -Infinity, -Infinity]));
    expect(heard.timeouts).toEqual([{ event: 'amd-words.worker-timeout', method: 'scorePhrases', timeoutMs: TIMEOUT_MS, audioMs: 1_000 }]);
    // The replacement starts without waiting for another request; close() waits for it and ends it.
    await t.close();
    expect(model?.starts()).toBe('xx');
    expect(heard.crashes).toEqual([]);
  }, 30_000);

  it('refuses a request timeout out of range', async () => {
    await expect(MoonshineTranscriber.load({ requestTimeoutMs: 50 })).rejects.toMatchObject({
      code: 'E_INVALID_CONFIG',
      message: /amdWords\.requestTimeoutMs: expected 1 000 to 120 000 ms, got 50/,
    });
  });
});
