// Public API of @paceline/cli: explicit named exports only (STYLE.md).
export { CliError } from './cli-error';
export { csvListImporter, parseMapping } from './commands/lists-import';
export type { Output } from './output';
export { createProgram, runCli } from './program';
