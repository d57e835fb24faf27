import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `@paceline/source`
// export condition, so tests run without a build (the packaging test checks the build).
const conditions = ['@paceline/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  // Vitest passes ssr.resolve.conditions to its Node workers as --conditions flags: 'import'
  // there would make every require() inside a CommonJS dependency load the ESM build of a dual
  // package (e.g. @fastify/helmet's require('helmet') got a namespace, not a function). Node adds
  // 'import'/'require' itself, so the workers get only the source condition and Vite's defaults.
  ssr: {
    resolve: { conditions: ['@paceline/source', 'module', 'node', 'development|production'], externalConditions: ['@paceline/source'] },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a condition (a browser test's page after a server round-trip). Its
    // default of 1 s failed CI once on a loaded 2-core machine (the list preview's answer came
    // later); a condition that does hold is seen at once, so a longer wait only delays failures.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'] },
  },
});
