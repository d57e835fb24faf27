import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const coreDist = join(here, '..', 'packages', 'core', 'dist');

/** Runs a snippet in a plain Node process resolving packages from `test/` (no vitest, no source condition). */
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' }).trim();
}

const snippet = (load: string) => `
${load}
const c = core.parseCampaign({ id: 'k', name: 'K', goal: 'sales', dialMode: 'power', complianceProfile: 'us-federal', callerId: '+14155550100', homeTimeZone: 'UTC' });
const r = core.seededRandom(1);
let code = '';
try { core.parseContact({ id: 'x', phones: [] }); } catch (e) { code = e.code + ':' + (e instanceof core.PacelineError); }
console.log(JSON.stringify({ ring: c.pacing.ringTimeoutMs, rand: typeof r.next(), code, state: core.CampaignState.Running }));
`;

const expected = { ring: 25_000, rand: 'number', code: 'E_INVALID_CONTACT:true', state: 'running' };

describe('the built @paceline/core package', () => {
  it('has been built (run `pnpm build` first)', () => {
    expect(existsSync(join(coreDist, 'index.js')), `missing ${coreDist}; run pnpm build`).toBe(true);
    for (const file of ['index.cjs', 'index.d.ts', 'index.d.cts']) expect(existsSync(join(coreDist, file))).toBe(true);
  });

  it('loads from a plain Node ESM script', () => {
    const out = runNode(['--input-type=module', '-e', snippet("import * as core from '@paceline/core';")]);
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('loads from a CommonJS require', () => {
    const out = runNode(['--input-type=commonjs', '-e', snippet("const core = require('@paceline/core');")]);
    expect(JSON.parse(out)).toEqual(expected);
  });
});
