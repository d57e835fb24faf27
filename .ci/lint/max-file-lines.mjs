// `pnpm lint`: no source file in packages/*/src is over 600 lines (one concept per file, read in a sitting).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINES = 600;
const root = join(import.meta.dirname, '..', '..', 'packages');
const tooLong = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name)) {
      const lines = readFileSync(path, 'utf8').split('\n').length - 1;
      if (lines > MAX_LINES)
        tooLong.push(`${path.slice(root.length - 'packages'.length)}: ${lines} lines (at most ${MAX_LINES}; split it by job)`);
    }
  }
};
for (const pkg of readdirSync(root)) {
  const src = join(root, pkg, 'src');
  try {
    if (statSync(src).isDirectory()) walk(src);
  } catch {
    // a package without src/
  }
}
if (tooLong.length > 0) {
  console.error(`Files over ${MAX_LINES} lines in packages/*/src:\n  ${tooLong.join('\n  ')}`);
  process.exit(1);
}
