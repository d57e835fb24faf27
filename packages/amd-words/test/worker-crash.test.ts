import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PacelineError } from '@paceline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MoonshineTranscriber } from '../src/index';

// The transcriber's worker thread dying: a stand-in worker (fixtures/crashing-worker.mjs) speaks
// the real protocol and dies on its first request, by an uncaught error or an exit.
const CRASHING_WORKER = join(import.meta.dirname, 'fixtures', 'crashing-worker.mjs');
const GREETING = new Int16Array(8_000).fill(100); // 1 s: long enough to be sent to the worker

describe('MoonshineTranscriber: a worker that dies', () => {
  let dir = '';
  let transcriber: MoonshineTranscriber | undefined;
  afterEach(async () => {
    await transcriber?.close();
    transcriber = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function load(mode: string, heard: PacelineError[]) {
    dir = mkdtempSync(join(tmpdir(), 'amd-words-crash-'));
    writeFileSync(join(dir, 'mode'), mode);
    for (const file of ['encoder_model.onnx', 'decoder_model_merged.onnx']) writeFileSync(join(dir, file), '');
    transcriber = await MoonshineTranscriber.load({ modelDir: dir, workerFile: CRASHING_WORKER, onWorkerError: (e) => heard.push(e) });
    return transcriber;
  }

  it.each(['throw', 'exit'])(
    'rejects the call it was serving with E_INTERNAL (%s), tells onWorkerError once, and the next call runs on a new worker',
    async (mode) => {
      const heard: PacelineError[] = [];
      const t = await load(mode, heard);
      const first = t.transcribe(GREETING);
      const queued = t.transcribe(GREETING.subarray(0, 4_000)); // waiting behind the crash
      await expect(first).rejects.toMatchObject({
        name: 'PacelineError',
        code: 'E_INTERNAL',
        message: mode === 'throw' ? /transcription worker crashed \(boom in the decoder\)/ : /exited unexpectedly \(exit code 7\)/,
      });
      expect(heard).toHaveLength(1);
      expect(heard[0]?.code).toBe('E_INTERNAL');
      await expect(queued).resolves.toMatchObject({ text: 'worker 2 heard 4000 samples', audioMs: 500 });
      await expect(t.transcribe(GREETING)).resolves.toMatchObject({ text: 'worker 2 heard 8000 samples' });
      expect(readFileSync(join(dir, 'starts'), 'utf8')).toBe('xx');
      expect(heard).toHaveLength(1);
    },
  );

  it('fails the next call clearly when the new worker cannot load the model either', async () => {
    const heard: PacelineError[] = [];
    const t = await load('fail-restart', heard);
    await expect(t.transcribe(GREETING)).rejects.toMatchObject({ code: 'E_INTERNAL', message: /exit code 3/ });
    await expect(t.transcribe(GREETING)).rejects.toMatchObject({
      code: 'E_INVALID_CONFIG',
      message: /amdWords\.modelDir: the model went away/,
    });
    expect(heard).toHaveLength(1);
  });

  it('refuses a worker script that is not there, bad input, and calls after close()', async () => {
    await expect(MoonshineTranscriber.load({ workerFile: join(tmpdir(), 'no-such-worker.js') })).rejects.toMatchObject({
      code: 'E_INVALID_CONFIG',
      message: /amdWords\.workerFile: .*no-such-worker\.js not found/,
    });
    const t = await load('exit', []);
    await expect(t.transcribe([1, 2, 3] as unknown as Int16Array)).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      message: /amdWords\.transcribe: expected an Int16Array .*got Array/,
    });
    await t.close();
    await expect(t.transcribe(GREETING)).rejects.toMatchObject({ code: 'E_CLOSED' });
  });
});
