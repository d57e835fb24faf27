import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One fenced TypeScript block of a Markdown file. */
export interface CodeSample {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based index among the file's TypeScript blocks. */
  readonly index: number;
  /** 1-based line in the Markdown file of the block's first code line. */
  readonly line: number;
  readonly code: string;
  /** Marked `<!-- sample: skip … -->` on the line before the fence: a deliberate fragment. */
  readonly skipped: boolean;
}

const TS_FENCE = /^ {0,3}(`{3,}|~{3,})\s*(ts|typescript)\b/;
const ANY_FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SKIP = /^<!--\s*sample:\s*skip\b.*-->$/;

/** Every ```ts / ```typescript block of a Markdown text, with the line it starts on. */
export function extractSamples(markdown: string, file: string): CodeSample[] {
  const lines = markdown.split('\n');
  const samples: CodeSample[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const open = ANY_FENCE.exec(line);
    if (!open) {
      i++;
      continue;
    }
    const fence = open[1] ?? '```';
    const isTs = TS_FENCE.test(line);
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++;
    if (isTs) {
      let before = i - 1;
      while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
      samples.push({
        file,
        index: samples.length + 1,
        line: i + 2,
        code: lines.slice(i + 1, end).join('\n'),
        skipped: before >= 0 && SKIP.test((lines[before] ?? '').trim()),
      });
    }
    i = end + 1;
  }
  return samples;
}

/** The guides (`docs/*.md`), the top-level README and every package README. */
export function markdownFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f));
  const readmes = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, 'packages', d.name, 'README.md'))
    .filter((f) => {
      try {
        readFileSync(f);
        return true;
      } catch {
        return false;
      }
    });
  return [join(root, 'README.md'), ...docs, ...readmes].map((f) => relative(root, f)).sort();
}
