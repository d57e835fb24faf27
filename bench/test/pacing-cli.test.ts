import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The bench CLI as a user runs it (tsx with the workspace's source condition), on the
// smallest scenario and one seed so each run takes a couple of seconds.
const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('pacing.ts', args);
}

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['--conditions=@paceline/source', join(ROOT, 'bench', script), ...args],
      { cwd: ROOT, timeout: 170_000, env: { ...process.env, INIT_CWD: dir } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// Each case starts tsx (a second or two when the machine is quiet, far more under load): they run
// concurrently, with a bounded but generous timeout.
describe.concurrent('pnpm bench:pacing', { timeout: 180_000 }, () => {
  it('--help prints the usage and runs nothing (no JSON written, even with --out)', async () => {
    const r = await bench('--help', '--out', 'help.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: pnpm bench:pacing');
    expect(r.stdout).toContain('--pacer-module FILE');
    expect(r.stdout).not.toMatch(/runs in/);
    expect(existsSync(join(dir, 'help.json'))).toBe(false);
  });

  it('refuses an unknown flag, a stray argument and an unknown scenario with exit code 2', async () => {
    const [flag, stray, scenario] = await Promise.all([
      bench('--scenarios', 'itc-20', '--out', 'bad.json'),
      bench('itc-20'),
      bench('--scenario', 'itc-21'),
    ]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--scenarios'");
    expect(stray.code).toBe(2);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toContain('--scenario: unknown "itc-21"');
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  });

  it('a narrowed run writes JSON with --out (relative to where the command was typed), with the bars’ fields', async () => {
    const r = await bench(
      '--scenario',
      'small-team-3',
      '--pacer',
      'progressive',
      '--pacer',
      'predictive',
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--out',
      'x.json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as { baseline: string; results: Record<string, unknown>[] };
    expect(json.baseline).toBe('progressive');
    expect(json.results.map((row) => row.pacer)).toEqual(['progressive', 'predictive']);
    for (const row of json.results) {
      expect(row.scenario).toBe('small-team-3');
      for (const field of ['talkFraction', 'abandonRate', 'abandonRateDailyP95', 'talkVsBaseline', 'talkFraction95'])
        expect(typeof row[field]).toBe('number');
      expect(row.talkFraction).toBeGreaterThan(0.3);
    }
    expect(json.results[0]?.talkVsBaseline).toBe(1);
  });

  it('--merge replaces the rows of the pacers run and keeps the others, with ratios against the file’s baseline', async () => {
    const stale = { scenario: 'small-team-3', pacer: 'predictive', talkFraction: 0.1, talkVsBaseline: 0.2 };
    const kept = { scenario: 'elsewhere', pacer: 'power', talkFraction: 0.7, talkVsBaseline: 1.1 };
    const base = { scenario: 'small-team-3', pacer: 'progressive', talkFraction: 0.5, talkVsBaseline: 1 };
    writeFileSync(join(dir, 'merged.json'), JSON.stringify({ baseline: 'progressive', results: [base, stale, kept] }));
    const r = await bench(
      '--scenario',
      'small-team-3',
      '--pacer',
      'predictive',
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--out',
      'merged.json',
      '--merge',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as {
      baseline: string;
      results: { scenario: string; pacer: string; talkFraction: number; talkVsBaseline: number; abandonRate?: number }[];
    };
    expect(json.baseline).toBe('progressive');
    expect(json.results.map((row) => `${row.scenario}/${row.pacer}`)).toEqual([
      'small-team-3/progressive',
      'small-team-3/predictive',
      'elsewhere/power',
    ]);
    expect(json.results[0]).toEqual(base);
    expect(json.results[2]).toEqual(kept);
    const fresh = json.results[1];
    expect(fresh?.talkFraction).toBeGreaterThan(0.3);
    expect(typeof fresh?.abandonRate).toBe('number');
    expect(fresh?.talkVsBaseline).toBeCloseTo((fresh?.talkFraction ?? 0) / 0.5, 3);
  });

  it('--pacer-module benchmarks the guide’s example pacer without editing the repo, and rejects a module with no pacer', async () => {
    const r = await bench(
      '--pacer-module',
      join(ROOT, 'examples', 'custom-pacer', 'my-pacer.ts'),
      '--pacer',
      'ready-plus-wrap',
      '--scenario',
      'small-team-3',
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--out',
      'mine.json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'mine.json'), 'utf8')) as {
      results: { pacer: string; talkFraction: number; abandonRate: number }[];
    };
    expect(json.results).toHaveLength(1);
    expect(json.results[0]?.pacer).toBe('ready-plus-wrap');
    expect(json.results[0]?.talkFraction).toBeGreaterThan(0.3);
    writeFileSync(join(dir, 'empty.ts'), 'export const nothing = 1;\n');
    const bad = await bench('--pacer-module', 'empty.ts', '--scenario', 'small-team-3', '--seeds', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('exports no pacer factory');
  });
});

describe.concurrent('pnpm bench:pacing-speed', { timeout: 180_000 }, () => {
  it('shares the parser: --help runs nothing, an unknown flag is an error', async () => {
    const [help, bad] = await Promise.all([run('pacing-speed.ts', ['--help']), run('pacing-speed.ts', ['--agent', '10'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm bench:pacing-speed');
    expect(help.stdout).not.toContain('decisions/s');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--agent'");
  });
});
