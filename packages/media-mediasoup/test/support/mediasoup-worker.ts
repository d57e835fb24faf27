import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The mediasoup worker binary `.ci/build-mediasoup-worker` caches, or `MEDIASOUP_WORKER_BIN`.
 * Returns undefined (tests skip) when it is missing, except under `CI=true` where it throws.
 */
export function mediasoupWorkerBin(): string | undefined {
  const cacheRoot = process.env.PACELINE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paceline');
  const bin = process.env.MEDIASOUP_WORKER_BIN ?? join(cacheRoot, 'mediasoup-worker-3.12.16', 'mediasoup-worker');
  if (existsSync(bin)) {
    // mediasoup 3.12 reads the variable when its module loads: import it after this.
    process.env.MEDIASOUP_WORKER_BIN = bin;
    return bin;
  }
  const why = `no mediasoup worker at ${bin}; build it with .ci/build-mediasoup-worker (or set MEDIASOUP_WORKER_BIN)`;
  if (process.env.CI === 'true') throw new Error(why);
  console.warn(`skipping the mediasoup tests: ${why}`);
  return undefined;
}
