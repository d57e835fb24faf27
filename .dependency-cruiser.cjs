/**
 * Architecture rules (DESIGN.md, "a pure core, ports, adapters"): dependencies point
 * inwards only, pure packages import no driver, and nothing imports in a circle.
 * `pnpm lint` runs this after Biome.
 */
const PURE = '^packages/(core|compliance|lists|pacing|scripting)/src';
const DRIVERS = '(^|/)node_modules/(ioredis|bullmq|mediasoup|sip\\.js|fastify|@fastify/[^/]+|drachtio-srf|pg|ws)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports make module order fragile; break the cycle with a port or a smaller module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-innermost',
      severity: 'error',
      comment: '@paceline/core imports no other @paceline package.',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(?!core/)' },
    },
    {
      name: 'pure-packages-import-no-driver',
      severity: 'error',
      comment: 'Pure packages (core, compliance, lists, pacing, scripting) must not import a driver.',
      from: { path: PURE },
      to: { path: DRIVERS },
    },
    {
      name: 'pure-packages-import-only-inner',
      severity: 'error',
      comment: 'Pure packages may import core (and lists may use compliance); never the engine, adapters or tools.',
      from: { path: PURE },
      to: { path: '^packages/(engine|fulfilment|store-redis|queue-bullmq|trunk-sim|trunk-sip|media-mediasoup|sim|cli|dashboard)/' },
    },
    {
      name: 'engine-imports-no-adapter',
      severity: 'error',
      comment: 'The engine depends on ports, not on adapters or tools.',
      from: { path: '^packages/(engine|fulfilment)/src' },
      to: { path: '^packages/(store-redis|queue-bullmq|trunk-sip|media-mediasoup|sim|cli|dashboard)/' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      from: { path: '^packages/(store-redis|queue-bullmq|trunk-sim|trunk-sip|media-mediasoup)/src' },
      to: { path: '^packages/(store-redis|queue-bullmq|trunk-sip|media-mediasoup|cli|dashboard)/', pathNot: '^packages/$1/' },
    },
    {
      name: 'engine-call-stands-alone',
      severity: 'error',
      comment:
        "The engine's call/ (the call machine, its runner, dispositions) knows nothing of campaigns or the distributed parts: it reaches them through engine-core's ports.",
      from: { path: '^packages/engine/src/call/' },
      to: { path: '^packages/engine/src/(distributed|campaign)/' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      from: { path: '^packages/[^/]+/src' },
      to: { path: '(^|/)(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@paceline/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
