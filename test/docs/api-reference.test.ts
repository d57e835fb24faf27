import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Application, LogLevel, ReflectionKind } from 'typedoc';
import { afterAll, describe, expect, it } from 'vitest';

// The API reference is generated from the TSDoc with typedoc (`pnpm docs:api` → docs/api/).
// This runs the same configuration (typedoc.json) into a temporary directory: warnings are
// allowed, errors fail the test, and the main entry points must be in the reference.

const ROOT = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'paceline-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Entry points a reader looks for first, by package. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  '@paceline/core': ['parseCampaign', 'parseContact', 'PacelineError', 'systemClock', 'VirtualClock', 'seededRandom'],
  '@paceline/compliance': ['checkDial', 'ContactLedger', 'AbandonLedger', 'ProfileRegistry'],
  '@paceline/lists': ['importContacts', 'DncBook', 'compareHopperEntries', 'loadUsRegistry'],
  '@paceline/pacing': ['createCampaignPacer', 'predictivePacer', 'governAbandons', 'planOutboundStaffing', 'erlangC'],
  '@paceline/scripting': ['parseScript', 'startScript', 'advanceScript', 'rankOffers', 'computeScorecard'],
  '@paceline/fulfilment': ['createFulfilment', 'verifyWebhook', 'assignRound'],
  '@paceline/engine': ['createDialer', 'Dialer', 'createMemoryStore'],
  '@paceline/sim': ['runSimulation'],
  '@paceline/trunk-sim': ['createSimTrunk', 'basicOutcomeModel'],
  '@paceline/trunk-sip': ['createSipTrunk', 'AmdDetector'],
  '@paceline/store-redis': ['createRedisStore', 'createRedisLease'],
  '@paceline/queue-bullmq': ['createBullJobQueue'],
  '@paceline/dashboard': ['dashboardPlugin'],
  '@paceline/cli': ['runCli'],
};

describe('API reference (typedoc)', () => {
  it('builds from typedoc.json without errors and documents the main entry points', async () => {
    const app = await Application.bootstrapWithPlugins({
      options: join(ROOT, 'typedoc.json'),
      out,
      treatWarningsAsErrors: false,
      logLevel: LogLevel.Error,
    });
    const project = await app.convert();
    expect(project, 'typedoc could not convert the project (see the errors above)').toBeDefined();
    if (!project) return;
    await app.generateDocs(project, out);
    expect(app.logger.errorCount, 'typedoc reported errors').toBe(0);

    const modules = project.getChildrenByKind(ReflectionKind.Module).map((m) => m.name);
    const missing: string[] = [];
    for (const [pkg, names] of Object.entries(EXPECTED)) {
      if (!modules.includes(pkg)) {
        missing.push(`${pkg} (module)`);
        continue;
      }
      for (const name of names) if (!project.getChildByName([pkg, name])) missing.push(`${pkg}: ${name}`);
    }
    expect(missing).toEqual([]);

    expect(existsSync(join(out, 'index.html'))).toBe(true);
    // Functions and parser constants (`parseCampaign` is a `const`) each get a page.
    const pages = ['functions', 'variables'].flatMap((dir) => readdirSync(join(out, dir)).map((file) => join(out, dir, file)));
    for (const page of ['createDialer', 'parseCampaign', 'checkDial', 'createCampaignPacer']) {
      expect(
        pages.filter((p) => p.endsWith(`.${page}.html`)),
        page,
      ).toHaveLength(1);
    }
    const dialer = readFileSync(pages.find((p) => p.endsWith('_paceline_engine.createDialer.html')) ?? '', 'utf8');
    expect(dialer).toContain('DialerOptions');
  }, 90_000);
});
