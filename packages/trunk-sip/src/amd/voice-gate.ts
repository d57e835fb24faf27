import { NoiseFloor } from './noise-floor';

/** What one 20 ms frame was. `lost`: all but digital silence (a lost packet), neither voice nor silence. */
export type FrameClass = 'voice' | 'silence' | 'lost';

/** 16-bit full scale, for dBFS. */
const FULL_SCALE = 32_768;
/** Below this a frame is a lost packet or a muted stream, not a quiet room (a real line has some noise). */
const LOST_DBFS = -85;

/** Settings of {@link VoiceGate}. */
export interface VoiceGateOptions {
  /** dB above the noise floor for voice. */
  readonly marginDb: number;
  /** Voice is at least this loud, dBFS. */
  readonly minVoiceDbfs: number;
  /** Noise floor window, in 20 ms frames. */
  readonly windowFrames: number;
}

/**
 * The energy voice gate: speech-band level (a 250 Hz high-pass removes hum and traffic rumble)
 * against an adaptive noise floor ({@link NoiseFloor}), with 3 dB of hysteresis so a word's
 * quieter end stays voiced. This is what issue 17 measured against the WebRTC VAD (see
 * docs/trunks.md): on telephone audio with steady noise it decides better than the VAD does.
 */
export class VoiceGate {
  readonly #options: VoiceGateOptions;
  readonly #floor: NoiseFloor;
  // Biquad high-pass, Butterworth, 250 Hz at 8 kHz (RBJ cookbook).
  readonly #b: readonly [number, number, number];
  readonly #a: readonly [number, number];
  #x1 = 0;
  #x2 = 0;
  #y1 = 0;
  #y2 = 0;
  #voiced = false;
  #levelDb = Number.NEGATIVE_INFINITY;

  constructor(options: VoiceGateOptions) {
    this.#options = options;
    this.#floor = new NoiseFloor(options.windowFrames);
    const w = (2 * Math.PI * 250) / 8000;
    const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    this.#b = [(1 + cos) / 2 / a0, -(1 + cos) / a0, (1 + cos) / 2 / a0];
    this.#a = [(-2 * cos) / a0, (1 - alpha) / a0];
  }

  /** The last frame's speech-band level, dBFS. */
  get levelDb(): number {
    return this.#levelDb;
  }

  /** The noise floor, dBFS. */
  get floorDb(): number {
    return this.#floor.level;
  }

  /** Classify one frame. */
  push(frame: Int16Array): FrameClass {
    const [b0, b1, b2] = this.#b;
    const [a1, a2] = this.#a;
    let energy = 0;
    let raw = 0;
    for (const x of frame) {
      raw += x * x;
      const y = b0 * x + b1 * this.#x1 + b2 * this.#x2 - a1 * this.#y1 - a2 * this.#y2;
      this.#x2 = this.#x1;
      this.#x1 = x;
      this.#y2 = this.#y1;
      this.#y1 = y;
      energy += y * y;
    }
    const rawDb = 10 * Math.log10(raw / frame.length / FULL_SCALE ** 2 + 1e-12);
    if (rawDb < LOST_DBFS) return 'lost';
    const level = 10 * Math.log10(energy / frame.length / FULL_SCALE ** 2 + 1e-12);
    this.#levelDb = level;
    const floor = this.#floor.push(level);
    const o = this.#options;
    const threshold = Math.max(o.minVoiceDbfs, floor + o.marginDb) - (this.#voiced ? 3 : 0);
    this.#voiced = level > threshold;
    return this.#voiced ? 'voice' : 'silence';
  }
}
