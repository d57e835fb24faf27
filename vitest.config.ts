import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `@paceline/source`
// export condition, so tests run without a build (the packaging test checks the build).
const conditions = ['@paceline/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@paceline/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'] },
  },
});
