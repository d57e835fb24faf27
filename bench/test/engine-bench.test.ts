import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithRedis } from '../../test/support/redis-server';

const bench = join(dirname(fileURLToPath(import.meta.url)), '..');

// The bench starts its own redis-server; describeWithRedis gives the same skip-locally /
// fail-under-CI rule when redis-server is missing.
describeWithRedis('pnpm bench:engine --store redis-cluster (short smoke run)', () => {
  it('runs in-memory, Redis × 1, Redis × 2 and Cluster × 2 processes and writes the runs, their costs and ratios', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paceline-bench-engine-'));
    try {
      const out = join(dir, 'engine.json');
      const args = ['--import', 'tsx', '--conditions=@paceline/source', join(bench, 'engine.ts')];
      const run = spawnSync(
        process.execPath,
        [...args, '--store', 'redis-cluster', '--processes', '2', '--seconds', '1', '--agents', '5', '--contacts', '300', '--out', out],
        {
          cwd: bench,
          encoding: 'utf8',
          timeout: 170_000,
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('2 processes / 1 process on Redis');
      expect(run.stdout).toContain('Cluster / one Redis');
      const result = JSON.parse(readFileSync(out, 'utf8'));
      expect(result.runs.map((r: { store: string; processes: number }) => `${r.store}×${r.processes}`)).toEqual([
        'memory×1',
        'redis×1',
        'redis×2',
        'redis-cluster×2',
      ]);
      for (const r of result.runs) {
        expect(r.dialsPerSecond).toBeGreaterThan(0);
        expect(r.cpuMsPerDial).toBeGreaterThan(0);
        expect(r.connectLatencyMs.p99).toBeGreaterThanOrEqual(r.connectLatencyMs.p50);
        if (r.store !== 'memory') expect(r.redisCommandsPerDial).toBeGreaterThan(0);
      }
      expect(result.ratios.redisVsMemory).toBeGreaterThan(0);
      expect(result.ratios.manyProcessesVsOne).toBeGreaterThan(0);
      expect(result.ratios.clusterVsRedis).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
