import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'retention-drive');

describe('examples/retention-drive', () => {
  it('runs a day with `pnpm start` and prints the scorecard', () => {
    const out = execFileSync('pnpm', ['-s', 'start'], { cwd: folder, encoding: 'utf8', env: { ...process.env, SEED: '5' } });
    expect(out).toContain('Retention drive');
    const saves = Number(/saves (\d+)/.exec(out)?.[1]);
    const sales = Number(/sales (\d+)/.exec(out)?.[1]);
    expect(saves).toBeGreaterThan(50);
    expect(sales).toBeGreaterThan(5);
    expect(out).toMatch(/cross-sell: \d+ of \d+ offers taken/);
    expect(out).toMatch(/specialist-1\s+\d+/);
    // every agent has a score line; a sale is worth five handled contacts
    for (const line of out.split('\n').filter((l) => /^\s+(agent|specialist)-\d+\s+\d+/.test(l))) {
      const [handled, saves, sales, other, score] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
      expect(score).toBe((saves as number) + 5 * (sales as number) + (other as number));
      expect(handled).toBeGreaterThan(0);
    }
  }, 120_000);
});
