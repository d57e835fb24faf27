import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PacelineError } from '@paceline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MoonshineTranscriber } from '../src/index';
import { GREETING, STAND_IN_WORKER, standInModelDir } from './fixtures/stand-in-worker';

// The transcriber's worker thread dying: the stand-in worker speaks the real protocol and dies on
// its first request, by an uncaught error or an exit.
describe('MoonshineTranscriber: a worker that dies', () => {
  let model: ReturnType<typeof standInModelDir> | undefined;
  let transcriber: MoonshineTranscriber | undefined;
  afterEach(async () => {
    await transcriber?.close();
    transcriber = undefined;
    model?.remove();
  });

  async function load(mode: string, heard: PacelineError[]) {
    model = standInModelDir(mode);
    transcriber = await MoonshineTranscriber.load({
      modelDir: model.dir,
      workerFile: STAND_IN_WORKER,
      onWorkerError: (e) => heard.push(e),
    });
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
      expect(model?.starts()).toBe('xx');
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
