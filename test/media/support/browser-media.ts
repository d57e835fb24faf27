import { join } from 'node:path';

/** Chromium flags for a page whose microphone plays `wav` (in `dir`) and whose audio plays without a gesture. */
export function fakeMicrophone(dir: string, wav: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${join(dir, wav)}`,
    '--autoplay-policy=no-user-gesture-required',
  ];
}

/** Wait for `condition` (polled every 100 ms), at most 15 s; fails naming what it waited for. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
