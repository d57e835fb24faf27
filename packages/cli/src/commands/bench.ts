import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../cli-error';

/** The benchmarks `paceline bench` runs, and the `bench/` script of each (the `pnpm bench:*` code). */
export const BENCHMARKS = { pacing: 'pacing.ts', lists: 'lists.ts', engine: 'engine.ts', fulfilment: 'fulfilment.ts' } as const;
/** A benchmark name. */
export type BenchName = keyof typeof BENCHMARKS;

/** The Paceline checkout containing `bench/`, searched upwards from `from`. */
export function findCheckout(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'bench', 'scenario.ts')) && existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * `paceline bench <name> [-- args]`: run `bench/<name>.ts` exactly as `pnpm bench:<name>` does
 * (tsx with the `@paceline/source` condition), in a child process with inherited stdio. The
 * benchmarks live in the repository, not in the published package, so this needs a checkout.
 */
export async function bench(name: string, args: readonly string[], cwd: string): Promise<number> {
  if (!(name in BENCHMARKS))
    throw new CliError(`bench: unknown benchmark "${name}"; expected one of ${Object.keys(BENCHMARKS).join(', ')}`, 2);
  const root = findCheckout(cwd) ?? findCheckout(import.meta.dirname ?? cwd);
  if (!root) throw new CliError('bench: the benchmarks live in the Paceline repository; run this inside a checkout (bench/ not found)');
  const script = join(root, 'bench', BENCHMARKS[name as BenchName]);
  if (!existsSync(script)) throw new CliError(`bench: "${name}" has no benchmark yet (${script} not found)`);
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@paceline/source', script, ...args], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}
