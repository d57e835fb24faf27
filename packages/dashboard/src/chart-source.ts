import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * chart.js's UMD build, read from the installed package so pages work offline (no CDN).
 * Read once per process: the file is ~200 kB and every dashboard page load serves it.
 */
export function chartJsSource(): string {
  if (cached === undefined) {
    // createRequire works in both the ESM and the CJS build (tsup shims import.meta.url).
    const entry = createRequire(import.meta.url).resolve('chart.js');
    cached = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
  }
  return cached;
}
