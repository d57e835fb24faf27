import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EngineBlendRow } from '../support/engine-blend-rows';

const bench = join(dirname(fileURLToPath(import.meta.url)), '..');

// A short smoke run of `pnpm bench:engine-blend` (issue 23, 23-bench): one scenario through the engine for one hour,
// two seeds, ours and the static split. It checks the JSON's shape and that the numbers are sane — not how fast it is.
describe('pnpm bench:engine-blend (short smoke run)', () => {
  it('writes bench:blend’s fields per scenario × policy, keeps the rows it did not run, and the numbers add up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paceline-bench-engine-blend-'));
    try {
      const out = join(dir, 'engine-blend.json');
      const kept = { scenario: 'blend-30', policy: 'hold', seeds: 20 };
      writeFileSync(out, JSON.stringify({ results: [kept] }));
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=@paceline/source',
          join(bench, 'engine-blend.ts'),
          ...[
            '--scenario',
            'blend-15-morning',
            '--policy',
            'demand',
            '--policy',
            'static-split',
            '--seeds',
            '2',
            '--hours',
            '1',
            '--out',
            out,
          ],
        ],
        { cwd: bench, encoding: 'utf8', timeout: 280_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('blend-15-morning through the engine, seeds 1–2, 1 h');
      expect(run.stdout).toMatch(/targets: SL held (yes|NO); abandon run (yes|NO)/);
      const file = JSON.parse(readFileSync(out, 'utf8')) as { results: EngineBlendRow[]; targetsByScenario: Record<string, unknown> };
      expect(file.results.map((r) => `${r.scenario}/${r.policy}`)).toEqual([
        'blend-15-morning/demand',
        'blend-15-morning/static-split',
        'blend-30/hold',
      ]);
      expect(file.results[2]).toEqual(kept);
      expect(file.targetsByScenario['blend-15-morning']).toMatchObject({
        overStatic: { gain: expect.any(Number) },
        overInboundFirst: null,
      });
      for (const r of file.results.slice(0, 2)) {
        expect(r).toMatchObject({ seeds: 2, firstSeed: 1, hours: 1 });
        for (const f of [
          'inboundServiceLevel',
          'intervalsMeetingTarget',
          'outboundTalkFraction',
          'outboundAbandonRate',
          'occupancy',
        ] as const) {
          expect(r[f], f).toBeGreaterThanOrEqual(0);
          expect(r[f], f).toBeLessThanOrEqual(1);
        }
        expect(r.intervalsMeetingTargetInSpike).toBeNull(); // blend-15-morning has no spike
        expect(r.intervalServiceLevels).toHaveLength(2); // two 30-minute intervals
        // blend-15-morning: 170 calls/h from 09:00, so ~340 callers over two seeds.
        expect(r.inboundOffered).toBeGreaterThan(200);
        expect(r.inboundOffered).toBeLessThan(500);
        expect(r.outboundLiveAnswers).toBeGreaterThan(0);
        // Every logged-in minute is work (both flows), ready, reserved or not ready.
        expect(r.occupancy + r.idle.ready + r.idle.reserved + r.idle.notReady).toBeCloseTo(1, 3);
        expect(r.occupancy).toBeGreaterThanOrEqual(r.outboundTalkFraction);
        expect(r.inboundWorkShare).toBeGreaterThan(0.2);
      }
      const split = file.results[1] as EngineBlendRow;
      expect(split.staticInboundAgents).toBeGreaterThan(0);
      expect(split.staticInboundAgents).toBeLessThan(15);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
