import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const BIN = join(import.meta.dirname, '..', 'src', 'bin.ts');

/** The CLI as a real process (tsx on the sources), its exit code and output. */
export function paceline(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['--conditions=@paceline/source', BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start the CLI and leave it running (for `paceline run`). */
export function startPaceline(args: readonly string[], cwd: string): ChildProcess {
  return spawn(TSX, ['--conditions=@paceline/source', BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
