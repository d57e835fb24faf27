import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspace, ROOT, type WorkspacePackage, workspacePackages } from '../../scripts/release-pack';
import { asCommonJs, guideProgram, npmInstall, type Run, run, transpile } from './install-project';

// What a new user does outside this repository: pack every package (`pnpm release:pack`
// without the build), `npm install` the tarballs into an empty project, run the guide's
// program as ESM and as CommonJS, and type-check it strictly with skipLibCheck off.

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const GUIDE = join(ROOT, 'docs', 'getting-started.md');
/** Drivers users install beside an adapter; optional peers are left out on purpose. */
const OPTIONAL_PEERS_ABSENT = ['prom-client', 'onnxruntime-node', '@usefulsensors/moonshine-js']; // issue-17-kws: the speech model's runtime and weights are opt-in peers of @paceline/amd-words

const packages: WorkspacePackage[] = workspacePackages();
const work = mkdtempSync(join(tmpdir(), 'paceline-packaging-'));
const project = join(work, 'project');
let install: Run;
const timings = { packMs: 0, installMs: 0 };

beforeAll(async () => {
  let started = performance.now();
  const tarballs = packWorkspace(join(work, 'tarballs'));
  timings.packMs = performance.now() - started;
  started = performance.now();
  install = await npmInstall(project, [...tarballs.values()], ['@types/node@^20.19.0']);
  timings.installMs = performance.now() - started;
  console.info(
    `packaging: packed ${tarballs.size} tarballs in ${(timings.packMs / 1000).toFixed(1)} s, npm install took ${(timings.installMs / 1000).toFixed(1)} s`,
  );
}, 300_000);

// Asynchronous: a synchronous delete of node_modules would block vitest's worker for a long while.
afterAll(() => rm(work, { recursive: true, force: true }), 180_000);

/** The fields of an installed package.json this test reads. */
interface Manifest {
  readonly version: string;
  readonly license?: string;
  readonly engines?: { readonly node?: string };
  readonly exports?: Record<string, { readonly import?: ExportTarget; readonly require?: ExportTarget }>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>;
}
type ExportTarget = { readonly types?: string; readonly default?: string };

function installedManifest(name: string): Manifest {
  return JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')) as Manifest;
}

/** Bare module specifiers a built file imports or requires (`node:` builtins excluded). */
function bareImports(file: string): Set<string> {
  const code = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
    const specifier = match[1] ?? '';
    if (!/^[@\w][\w./@-]*$/.test(specifier)) continue; // text in a message, not a module
    if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '')) continue;
    found.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
  }
  return found;
}

describe('every package, packed and installed with plain npm outside the workspace', () => {
  it('npm installs all the tarballs into an empty project', () => {
    expect(install.code, install.stderr).toBe(0);
    expect(existsSync(join(project, 'node_modules', 'paceline', 'package.json'))).toBe(true);
  });

  it.each(packages.map((p) => [p.name]))('%s: manifest, files and declared dependencies', (name) => {
    const manifest = installedManifest(name);
    const dir = join(project, 'node_modules', name);
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines?.node).toMatch(/^>=20/);
    for (const file of ['LICENSE', 'README.md', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
      expect(existsSync(join(dir, file)), `${name} ships ${file}`).toBe(true);
    }
    const entry = manifest.exports?.['.'];
    for (const [condition, target] of [
      ['import', entry?.import?.types],
      ['import', entry?.import?.default],
      ['require', entry?.require?.types],
      ['require', entry?.require?.default],
    ]) {
      expect(typeof target, `${name} exports ${condition}`).toBe('string');
      expect(existsSync(join(dir, target ?? '')), `${name} exports ${target}`).toBe(true);
    }
    const declared = { ...manifest.dependencies, ...manifest.peerDependencies } as Record<string, string>;
    for (const [dep, range] of Object.entries(declared)) expect(range, `${name} → ${dep}`).not.toMatch(/^workspace:/);
    for (const peer of OPTIONAL_PEERS_ABSENT) {
      if (manifest.peerDependencies?.[peer])
        expect(manifest.peerDependenciesMeta?.[peer]?.optional, `${name}: ${peer} optional`).toBe(true);
    }
    const built = readdirSync(join(dir, 'dist')).filter((f) => /\.(c?js)$/.test(f));
    for (const file of built) {
      for (const specifier of bareImports(join(dir, 'dist', file))) {
        expect(Object.keys(declared), `${name}/dist/${file} imports ${specifier}`).toContain(specifier);
      }
    }
    // Optional peers never reach the emitted types (a host without them compiles with skipLibCheck off).
    for (const types of ['dist/index.d.ts', 'dist/index.d.cts']) {
      const declarations = readFileSync(join(dir, types), 'utf8');
      for (const peer of OPTIONAL_PEERS_ABSENT)
        expect(declarations).not.toMatch(new RegExp(`^(?:import|export)\\b[^;]*['"]${peer}['"]`, 'm'));
    }
  });

  it('every package loads from ESM `import` and from CommonJS `require`', async () => {
    const names = packages.map((p) => p.name);
    writeFileSync(
      join(project, 'load-all.mjs'),
      `const names = ${JSON.stringify(names)};\nconst out = {};\nfor (const name of names) out[name] = Object.keys(await import(name)).length;\nconsole.log(JSON.stringify(out));\n`,
    );
    writeFileSync(
      join(project, 'load-all.cjs'),
      `const names = ${JSON.stringify(names)};\nconst out = {};\nfor (const name of names) out[name] = Object.keys(require(name)).length;\nconsole.log(JSON.stringify(out));\n`,
    );
    const [esm, cjs] = await Promise.all([
      run(process.execPath, ['load-all.mjs'], project, 60_000),
      run(process.execPath, ['load-all.cjs'], project, 60_000),
    ]);
    expect(esm.code, esm.stderr).toBe(0);
    expect(cjs.code, cjs.stderr).toBe(0);
    const esmCounts = JSON.parse(esm.stdout) as Record<string, number>;
    expect(JSON.parse(cjs.stdout)).toEqual(esmCounts);
    for (const name of names) expect(esmCounts[name], name).toBeGreaterThan(0);
    // The umbrella re-exports what the guide needs from each package.
    const paceline = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import * as p from 'paceline'; console.log(['createDialer','createSimTrunk','systemClock','parseCampaign','PacelineError','Compliance','defaultPacer'].filter((n) => typeof p[n] !== 'function').join(','))",
      ],
      project,
      60_000,
    );
    expect(paceline.code, paceline.stderr).toBe(0);
    expect(paceline.stdout.trim(), 'missing from paceline').toBe('');
  });

  it('the installed `paceline` bin prints its version', async () => {
    const result = await run(join(project, 'node_modules', '.bin', 'paceline'), ['--version'], project, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(installedManifest('@paceline/cli').version);
  });
});

describe.concurrent('the getting-started program from docs/getting-started.md', () => {
  const program = guideProgram(GUIDE);

  /** The guide's promise: it dials, connects and finishes (exit 0, after the campaign completed). */
  function expectDialConnectFinish(result: Run) {
    expect(result.code, `exit code; stderr:\n${result.stderr.slice(-2000)}`).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => !l.startsWith('{'));
    expect(lines).toContain('added 8 contacts, rejected 0');
    expect(lines.filter((l) => /^dialed c\d$/.test(l)).length).toBe(8);
    expect(
      lines.some((l) => /^connected c\d to (ana|ben) in \d+ ms$/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(lines.filter((l) => /^ended c\d: /.test(l)).length).toBe(8);
    const summary = lines.find((l) => l.startsWith('campaign '));
    expect(summary).toMatch(/^campaign completed: 8 dials, [1-8] live answers, \d abandoned$/);
  }

  it('runs as ESM: dials, connects and finishes', async () => {
    writeFileSync(join(project, 'dial.mjs'), transpile(program, 'esm'));
    expectDialConnectFinish(await run(process.execPath, ['dial.mjs'], project, 90_000));
  }, 120_000);

  it('runs as CommonJS: dials, connects and finishes', async () => {
    writeFileSync(join(project, 'dial.cjs'), transpile(asCommonJs(program), 'cjs'));
    expectDialConnectFinish(await run(process.execPath, ['dial.cjs'], project, 90_000));
  }, 120_000);

  it('type-checks with strict and skipLibCheck: false (ESM and CommonJS); a misspelt dial mode fails to compile', async () => {
    writeFileSync(join(project, 'dial.ts'), program);
    writeFileSync(join(project, 'dial-cjs.cts'), asCommonJs(program));
    const campaign = `id: 'w', name: 'W', goal: 'retention', complianceProfile: 'us-federal', callerId: '+12125550100', homeTimeZone: 'UTC'`;
    writeFileSync(
      join(project, 'misspelt.ts'),
      `import type { CampaignInput } from 'paceline';\nexport const bad: CampaignInput = {\n  ${campaign},\n  // @ts-expect-error 'predicitve' is not a dial mode\n  dialMode: 'predicitve',\n};\n`,
    );
    writeFileSync(
      join(project, 'misspelt-unguarded.ts'),
      `import { createDialer, createSimTrunk, systemClock, seededRandom, scriptedOutcomeModel } from 'paceline';\nconst clock = systemClock();\nconst dialer = createDialer({ trunk: createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel({}) }), clock });\nexport const added = dialer.addCampaign({ ${campaign}, dialMode: 'predicitve' });\n`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
        },
        files: ['dial.ts', 'dial-cjs.cts', 'misspelt.ts', 'misspelt-unguarded.ts'],
      }),
    );
    // Generous: with skipLibCheck off tsc checks every declaration file it loads (@types/node, pino,
    // typebox …): ~20 s of CPU, minutes of wall time on a loaded machine.
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], project, 420_000);
    expect(result.code, `tsc did not finish: ${result.stderr}`).not.toBeNull();
    const errors = result.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    // Exactly one error, the misspelling without @ts-expect-error; an unused @ts-expect-error would be a second.
    expect(errors, result.stdout).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^misspelt-unguarded\.ts\(4,\d+\): error TS(2322|2820): Type '"predicitve"' is not assignable to type '"preview" \| "progressive" \| "power" \| "predictive" \| "agentless"'/,
    );
  }, 450_000);
});
