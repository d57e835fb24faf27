import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type CodeSample, extractSamples, markdownFiles } from './extract-samples';

// Every ```ts block of the guides and READMEs is type-checked against the workspace sources,
// so a sample cannot drift from the API. Each block becomes a module under
// test/docs/.samples/ (gitignored) — inside the repository, so `@paceline/*` resolves through
// the workspace with the `@paceline/source` condition (tsconfig.base.json). A block marked
// `<!-- sample: skip -->` on the line before its fence is a deliberate fragment and is not
// compiled; samples declare the host's own values (`declare const contacts: unknown[];`).

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(import.meta.dirname, '.samples');

function moduleName(sample: CodeSample): string {
  return `${sample.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${sample.index}.ts`;
}

describe('extractSamples', () => {
  it('finds ts and typescript fences with their line, and honours the skip marker', () => {
    const md = [
      '# t', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '```json', // 5
      '{ "b": 2 }', // 6
      '```', // 7
      '<!-- sample: skip (a fragment) -->', // 8
      '', // 9
      '```typescript', // 10
      'x.y;', // 11
      '```', // 12
    ].join('\n');
    const samples = extractSamples(md, 'x.md');
    expect(samples.map((s) => [s.index, s.line, s.code, s.skipped])).toEqual([
      [1, 3, 'const a = 1;', false],
      [2, 11, 'x.y;', true],
    ]);
  });
});

describe('code samples in the docs', () => {
  const files = markdownFiles(ROOT);
  const samples = files.flatMap((file) => extractSamples(readFileSync(join(ROOT, file), 'utf8'), file));
  const compiled = samples.filter((s) => !s.skipped);

  it('every ts block of docs/*.md and packages/*/README.md type-checks', () => {
    expect(compiled.length).toBeGreaterThanOrEqual(20);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const byPath = new Map<string, CodeSample>();
    for (const sample of compiled) {
      const path = join(OUT, moduleName(sample));
      // Line n of the module is line n of the block; `export {}` makes every block a module
      // (its own scope, top-level await allowed) even when it imports nothing.
      writeFileSync(path, `${sample.code}\nexport {};\n`);
      byPath.set(path, sample);
    }
    const tsconfig = join(OUT, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false },
        include: ['*.ts'],
      }),
    );
    const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) throw new Error(`cannot read ${tsconfig}`);
    const program = ts.createProgram({ rootNames: [...byPath.keys()], options: config.options });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
        const sample = d.file ? byPath.get(d.file.fileName) : undefined;
        if (!d.file || !sample || d.start === undefined) return `${d.file?.fileName ?? '(global)'}: TS${d.code} ${text}`;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${sample.file}:${sample.line + line}:${character + 1} (ts block ${sample.index}): TS${d.code} ${text}`;
      });
    expect(problems, `${problems.length} type error(s) in doc samples:\n${problems.join('\n')}`).toEqual([]);
    rmSync(OUT, { recursive: true, force: true });
  }, 120_000);

  it('skips only marked fragments', () => {
    const skipped = samples.filter((s) => s.skipped).map((s) => `${s.file} ts block ${s.index}`);
    // Keep this list short: fix a sample so it compiles rather than skipping it.
    expect(skipped.length).toBeLessThanOrEqual(3);
  });
});
