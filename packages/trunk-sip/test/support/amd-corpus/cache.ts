import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AMD_CORPUS_VERSION, type AmdCaseSpec, type AmdCorpusCase, AmdCorpusRenderer, amdCorpusSpecs } from './generate';
import { availableEngines } from './tts';

type Stored = Omit<AmdCorpusCase, 'samples'> & { readonly offset: number; readonly length: number };

/** Where the generated corpus is kept: `$PACELINE_CACHE_DIR` or `~/.cache/paceline`, then `amd-corpus/<version>-<engines>`. */
export function amdCorpusCacheDir(): string {
  const root = process.env.PACELINE_CACHE_DIR ?? join(homedir(), '.cache', 'paceline');
  return join(root, 'amd-corpus', `v${AMD_CORPUS_VERSION}-${availableEngines().join('+')}`);
}

function readCache(dir: string): AmdCorpusCase[] | undefined {
  const manifest = join(dir, 'manifest.json');
  const data = join(dir, 'samples.pcm');
  if (!existsSync(manifest) || !existsSync(data)) return undefined;
  const stored = JSON.parse(readFileSync(manifest, 'utf8')) as Stored[];
  const bytes = readFileSync(data);
  const all = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  return stored.map(({ offset, length, ...rest }) => ({ ...rest, samples: all.slice(offset, offset + length) }));
}

function writeCache(dir: string, cases: readonly AmdCorpusCase[]): void {
  mkdirSync(dir, { recursive: true });
  let offset = 0;
  const stored: Stored[] = [];
  for (const { samples, ...rest } of cases) {
    stored.push({ ...rest, offset, length: samples.length });
    offset += samples.length;
  }
  const all = new Int16Array(offset);
  for (const [i, c] of cases.entries()) all.set(c.samples, (stored[i] as Stored).offset);
  // Write then rename, so a reader never sees half a corpus.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(join(dir, `samples.pcm${suffix}`), Buffer.from(all.buffer));
  writeFileSync(join(dir, `manifest.json${suffix}`), JSON.stringify(stored));
  renameSync(join(dir, `samples.pcm${suffix}`), join(dir, 'samples.pcm'));
  renameSync(join(dir, `manifest.json${suffix}`), join(dir, 'manifest.json'));
}

/**
 * The hard AMD corpus (issue 17): every case, from the on-disk cache, generating and caching it
 * on a miss (a minute or two). With `only`, returns just the matching cases, from the cache if it
 * is there, else rendering only those (for fast tests).
 */
export function loadAmdCorpus(only?: (spec: AmdCaseSpec) => boolean): AmdCorpusCase[] {
  const dir = amdCorpusCacheDir();
  const cached = readCache(dir);
  if (cached) return only ? cached.filter(only) : cached;
  const specs = amdCorpusSpecs().filter(only ?? (() => true));
  const renderer = new AmdCorpusRenderer();
  try {
    const cases = specs.map((spec) => renderer.render(spec));
    if (!only) writeCache(dir, cases);
    return cases;
  } finally {
    renderer.close();
  }
}
