import { type Audio8k, readWav8k } from './wav-file';

/** Prompts read once per path and shared by every call; a file that failed to read is tried again next time. */
export class MessageCache {
  readonly #audio = new Map<string, Promise<Audio8k>>();

  /** The samples of the WAV at `path` (8 kHz mono). */
  async samples(path: string): Promise<Int16Array> {
    let audio = this.#audio.get(path);
    if (!audio) {
      audio = readWav8k(path);
      this.#audio.set(path, audio);
      audio.catch(() => this.#audio.delete(path));
    }
    return (await audio).samples;
  }
}
