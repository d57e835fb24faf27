import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/** The outcome of a child process: exit code (null when killed), output. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command to its end; never rejects (the caller asserts on the code and output). */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** npm's cache for these installs: kept between runs so a second install needs no network. */
export const NPM_CACHE = process.env.PACELINE_NPM_CACHE ?? join(homedir(), '.cache', 'paceline', 'npm');

/**
 * Install `tarballs` (and `extra` registry packages) into `dir` with plain npm, as a user
 * outside the workspace would. `--ignore-scripts`: dependency install scripts (mediasoup's
 * worker build) are not what is tested here; `--prefer-offline`: metadata from the cache.
 */
export async function npmInstall(dir: string, tarballs: readonly string[], extra: readonly string[]): Promise<Run> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'paceline-user', private: true, type: 'module' }, null, 2)}\n`);
  return run(
    'npm',
    [
      'install',
      '--cache',
      NPM_CACHE,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      ...tarballs,
      ...extra,
    ],
    dir,
    240_000,
  );
}

/** The ```ts block after `<!-- sample: getting-started … -->` in the guide. */
export function guideProgram(markdownPath: string): string {
  const markdown = readFileSync(markdownPath, 'utf8');
  const match = /<!--\s*sample:\s*getting-started\b[^>]*-->\s*\n```ts\n([\s\S]*?)\n```/.exec(markdown);
  if (!match?.[1]) throw new Error(`${markdownPath}: no \`<!-- sample: getting-started -->\` ts block`);
  return match[1];
}

/**
 * The guide's program as a CommonJS TypeScript module, as the guide tells a CommonJS user to
 * write it: the imports stay, the rest goes in `async function main()`.
 */
export function asCommonJs(program: string): string {
  const imports = program.match(/^import [\s\S]*? from '[^']+';\n/gm) ?? [];
  let body = program;
  for (const statement of imports) body = body.replace(statement, '');
  return `${imports.join('')}\nasync function main(): Promise<void> {\n${body}\n}\n\nmain().catch((error: unknown) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
}

/** TypeScript → JavaScript without type-checking (the type-check is a separate `tsc` run). */
export function transpile(source: string, module: 'esm' | 'cjs'): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: module === 'esm' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      verbatimModuleSyntax: false,
      esModuleInterop: true,
    },
  }).outputText;
}
