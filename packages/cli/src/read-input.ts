import { readFileSync } from 'node:fs';
import { CliError } from './cli-error';

/** Read a file the user named, or fail with one line saying which file and why. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new CliError(`${what} ${path}: ${why}`);
  }
}

/** Read and parse a JSON file, or fail with one line naming the file and the syntax error. */
export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} ${path}: not valid JSON (${(error as Error).message})`);
  }
}
