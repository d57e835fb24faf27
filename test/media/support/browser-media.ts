import { join } from 'node:path';
import { waitFor } from '../../support/wait-for';

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
export function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  return waitFor(condition, 15_000, what, 100);
}
