import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
const out = mkdtempSync(join(tmpdir(), 'paceline-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The demo (the README's first command) as a real process, fast-forwarded. */
function demo(args: string[]): string {
  return execFileSync('pnpm', ['-s', 'demo', '--', '--speed', '1000000', '--no-live', '--agents', '6', '--contacts', '400', ...args], {
    cwd: examples,
    encoding: 'utf8',
  });
}

describe('pnpm demo', () => {
  it.each(['predictive', 'progressive', 'power', 'preview'])(
    'runs a day with the %s pacer and writes the report',
    (pacer) => {
      const html = join(out, `${pacer}.html`);
      const text = demo(['--pacer', pacer, '--html', html]);
      const dials = Number(/Dials\s+(\d+)/.exec(text)?.[1]);
      expect(dials).toBeGreaterThan(100);
      const abandon = Number(/Abandon rate \(abandoned \/ live answers\)\s+([\d.]+)%/.exec(text)?.[1]);
      expect(abandon).toBeLessThanOrEqual(3);
      expect(existsSync(html)).toBe(true);
      const page = readFileSync(html, 'utf8');
      expect(page).toContain('<canvas id="abandon"');
      // issue-17: the AMD false-positive estimate, its source, and whether the abandon rate includes it (us-federal: not).
      expect(page).toMatch(/AMD false positives \(people taken for machines, estimate\)<\/th><td>[\d.]+% of [1-9]\d* machine decisions/);
      expect(page).toMatch(/AMD estimate made from<\/th><td>bench default: No reviewed calls yet/);
      expect(page).toContain('Abandon rate includes the AMD estimate</th><td>no: ');
    },
    60_000,
  );

  it('says what is wrong with a bad option, and lists the options with --help', () => {
    expect(demo(['--help'])).toContain('--pacer P');
    let stderr = '';
    try {
      demo(['--pacer', 'turbo']);
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toContain('--pacer: expected one of predictive, progressive, power, preview, got "turbo"');
  }, 60_000);
});
