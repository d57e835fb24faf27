import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectAnsweringMachineWithWords, GreetingWords, MachinePhraseMatcher } from '@paceline/trunk-sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoonshineTranscriber, moonshineTinyModelDir, upsample2x } from '../src/index';

describe('upsample2x (8 → 16 kHz)', () => {
  const sine = (hz: number, rate: number, n: number) =>
    Int16Array.from({ length: n }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / rate)));

  it.each([300, 1_000, 3_000])('keeps a %i Hz tone: the new samples lie on the same sine', (hz) => {
    const up = upsample2x(sine(hz, 8_000, 800));
    const exact = sine(hz, 16_000, 1_600);
    // Away from the edges (the filter's 16-sample half-length), within 1.5% of full scale.
    let worst = 0;
    for (let i = 64; i < 1_536; i++) worst = Math.max(worst, Math.abs((up[i] ?? 0) * 32_768 - (exact[i] ?? 0)));
    expect(worst / 10_000).toBeLessThan(hz === 3_000 ? 0.05 : 0.015);
  });

  it('keeps the original samples and puts no image of a tone above 4 kHz', () => {
    const input = sine(1_000, 8_000, 1_600);
    const up = upsample2x(input);
    for (let i = 0; i < input.length; i++) expect(up[2 * i]).toBeCloseTo((input[i] ?? 0) / 32_768, 6);
    // Goertzel power at the 7 kHz image against the 1 kHz tone.
    const power = (hz: number) => {
      const k = 2 * Math.cos((2 * Math.PI * hz) / 16_000);
      let s1 = 0;
      let s2 = 0;
      for (let i = 64; i < up.length - 64; i++) [s1, s2] = [(up[i] ?? 0) + k * s1 - s2, s1];
      return s1 * s1 + s2 * s2 - k * s1 * s2;
    };
    expect(10 * Math.log10(power(7_000) / power(1_000))).toBeLessThan(-40);
  });
});

describe('MoonshineTranscriber (the real model from @usefulsensors/moonshine-js)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amd-words-'));
  let transcriber: MoonshineTranscriber;
  beforeAll(async () => {
    // Fails (does not skip) with the package's E_INVALID_CONFIG message when the model package is missing.
    transcriber = await MoonshineTranscriber.load({ modelDir: moonshineTinyModelDir() });
  });
  afterAll(async () => {
    await transcriber?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** espeak-ng, telephone band, 8 kHz 16-bit, then a G.711 µ-law round trip by sox. */
  function telephone(text: string): Int16Array {
    execFileSync('espeak-ng', ['-v', 'en-gb', '-w', join(dir, 'a.wav'), text]);
    execFileSync('sox', [join(dir, 'a.wav'), '-r', '8000', '-e', 'u-law', join(dir, 'b.wav'), 'sinc', '300-3400']);
    execFileSync('sox', [join(dir, 'b.wav'), '-e', 'signed', '-b', '16', '-t', 'raw', join(dir, 'c.raw')]);
    const bytes = readFileSync(join(dir, 'c.raw'));
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  }

  it('hears a short beep-less voicemail greeting, and the detector revises the person to a machine', async () => {
    const greeting = telephone('Please leave a message after the tone.');
    const transcript = await transcriber.transcribe(greeting);
    expect(new MachinePhraseMatcher().match(transcript.text)).toBeDefined();
    expect(transcript.computeMs).toBeGreaterThan(0);
    expect(transcript.audioMs).toBeCloseTo(greeting.length / 8, 0);
    expect(transcript.alternatives.length).toBeLessThanOrEqual(3); // beam 4: the n-best after the likeliest
    // The same greeting through the detector: called a person by cadence, revised by its words.
    const call = new Int16Array(greeting.length + 4 * 8_000);
    call.set(greeting, 2_400);
    const run = await detectAnsweringMachineWithWords(call, new GreetingWords(transcriber));
    expect(run.result).toBe('human');
    expect(run.revision).toMatchObject({ reason: 'greeting-words' });
  });

  it('finds no machine phrase in a person asking to call back', async () => {
    const transcript = await transcriber.transcribe(telephone('Sorry, can I call you back?'));
    expect(transcript.text.toLowerCase()).toContain('call you back');
    expect(new MachinePhraseMatcher().match(transcript.text)).toBeUndefined();
  });

  it('refuses a folder without the model with E_INVALID_CONFIG naming modelDir', async () => {
    await expect(MoonshineTranscriber.load({ modelDir: dir })).rejects.toThrow(/amdWords\.modelDir: .*encoder_model\.onnx not found/);
    await expect(MoonshineTranscriber.load({ threads: 0 })).rejects.toThrow(/amdWords\.threads/);
    await expect(MoonshineTranscriber.load({ beams: 0 })).rejects.toThrow(/amdWords\.beams/);
  });

  it('reports model files ONNX Runtime cannot load (in the worker) as E_INVALID_CONFIG naming the file', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    for (const file of ['encoder_model.onnx', 'decoder_model_merged.onnx']) writeFileSync(join(broken, file), 'not a model');
    await expect(MoonshineTranscriber.load({ modelDir: broken })).rejects.toMatchObject({
      name: 'PacelineError',
      code: 'E_INVALID_CONFIG',
      message: /amdWords\.modelDir: ONNX Runtime could not load .*broken\/encoder_model\.onnx/,
    });
  });
});
