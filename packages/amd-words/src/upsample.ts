/** Half the taps on each side of the centre of the interpolation filter (odd taps only are non-zero). */
const HALF_TAPS = 16;

/**
 * The odd taps of a half-band low-pass (cut-off at the old Nyquist, 4 kHz for 8 kHz audio):
 * a Blackman-windowed sinc, normalised so a constant passes unchanged. The even taps of a
 * half-band filter are zero except the centre, so the original samples pass through as they are.
 */
const ODD_TAPS: Float64Array = (() => {
  const taps = new Float64Array(HALF_TAPS * 2);
  const span = HALF_TAPS * 4; // the window spans m = -(2·HALF_TAPS) … 2·HALF_TAPS
  for (let k = 0; k < taps.length; k++) {
    const m = 2 * (k - HALF_TAPS) + 1; // odd offsets, in output samples, from -(2H-1) to 2H-1
    const x = (Math.PI * m) / 2;
    const window = 0.42 + 0.5 * Math.cos((2 * Math.PI * m) / span) + 0.08 * Math.cos((4 * Math.PI * m) / span);
    taps[k] = (Math.sin(x) / x) * window;
  }
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
})();

/**
 * Double the sample rate of 16-bit audio (8 kHz → 16 kHz) into floats in [-1, 1): the
 * samples of the input are kept, the new ones between them come from a 32-tap windowed-sinc
 * half-band interpolator (flat to ~3.4 kHz, the telephone band; no image above 4 kHz).
 */
export function upsample2x(samples: Int16Array): Float32Array {
  const n = samples.length;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (samples[i] ?? 0) / 32_768;
    // The new sample between i and i + 1: input samples i - H + 1 … i + H around it.
    let acc = 0;
    for (let k = 0; k < ODD_TAPS.length; k++) {
      const j = i + HALF_TAPS - k;
      if (j >= 0 && j < n) acc += (samples[j] ?? 0) * (ODD_TAPS[k] ?? 0);
    }
    out[2 * i + 1] = acc / 32_768;
  }
  return out;
}
