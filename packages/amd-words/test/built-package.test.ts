import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MachinePhraseMatcher } from '@paceline/trunk-sip';
import { afterAll, describe, expect, it } from 'vitest';

// The package as users get it: tsup's dist, not these TypeScript sources. A plain `node` (no
// source condition, no vitest) imports dist/index.js or requires dist/index.cjs, which must find
// its shipped worker script beside itself and transcribe in it. CI builds before it tests.
const DIST = join(import.meta.dirname, '..', 'dist');

describe('@paceline/amd-words from its build (ESM and CJS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amd-words-dist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the worker script in both formats', () => {
    for (const file of ['index.js', 'index.cjs', 'transcription-worker.js', 'transcription-worker.cjs']) {
      expect(existsSync(join(DIST, file)), `dist/${file} (run pnpm build)`).toBe(true);
    }
  });

  // espeak-ng, 8 kHz, G.711 µ-law round trip, as raw 16-bit samples the child reads.
  const raw = join(dir, 'greeting.raw');
  execFileSync('espeak-ng', ['-v', 'en-gb', '-w', join(dir, 'a.wav'), 'Please leave a message after the tone.']);
  execFileSync('sox', [join(dir, 'a.wav'), '-r', '8000', '-e', 'u-law', join(dir, 'b.wav'), 'sinc', '300-3400']);
  execFileSync('sox', [join(dir, 'b.wav'), '-e', 'signed', '-b', '16', '-t', 'raw', raw]);

  // The child records which worker scripts were started: worker_threads.Worker is wrapped, and
  // syncBuiltinESMExports() hands the wrapper to ES-module imports of node:worker_threads too.
  // One child loads both builds and runs them side by side (one worker thread each: two threads
  // using onnxruntime-node at once abort 1.21.0), then starts a third after both have closed.
  const child = `
    const { readFileSync } = require('node:fs');
    const threads = require('node:worker_threads');
    const started = [];
    const Original = threads.Worker;
    threads.Worker = class extends Original { constructor(file, options) { super(file, options); started.push(String(file)); } };
    require('node:module').syncBuiltinESMExports();
    const bytes = readFileSync(${JSON.stringify(raw)});
    const run = async (build) => {
      const t = await build.MoonshineTranscriber.load({ beams: 1 });
      const r = await t.transcribe(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2));
      await t.close();
      return r;
    };
    (async () => {
      const cjs = require(${JSON.stringify(join(DIST, 'index.cjs'))});
      const esm = await import(${JSON.stringify(`file://${join(DIST, 'index.js')}`)});
      const [fromCjs, fromEsm] = await Promise.all([run(cjs), run(esm)]);
      // Every worker has exited now: a new one must still load the runtime's addon.
      const again = await run(esm);
      process.stdout.write(JSON.stringify({ fromCjs, fromEsm, again, started }));
    })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;

  it('transcribes a µ-law voicemail greeting in the worker shipped beside each build', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', child], { cwd: dir, encoding: 'utf8', timeout: 50_000 });
    const result = JSON.parse(stdout) as { fromCjs: Heard; fromEsm: Heard; again: Heard; started: string[] };
    for (const heard of [result.fromCjs, result.fromEsm, result.again]) {
      expect(new MachinePhraseMatcher().match(heard.text), heard.text).toBeDefined();
      expect(heard.computeMs).toBeGreaterThan(0);
    }
    expect(result.started.sort()).toEqual([
      join(DIST, 'transcription-worker.cjs'),
      join(DIST, 'transcription-worker.js'),
      join(DIST, 'transcription-worker.js'),
    ]);
  }, 55_000);
});

interface Heard {
  readonly text: string;
  readonly computeMs: number;
}
