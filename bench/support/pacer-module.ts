// `--pacer-module ./my-pacer.ts`: benchmark a pacer without editing the repo. The module
// exports a factory returning a fresh `Pacer` (stateful pacers need one per run), as its
// default export or as `createPacer`; the pacer's `name` names its rows.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli';
import type { PacerFactory } from './pacing-runs';

/** The loaded module: its pacer's name and the factory. */
export interface CustomPacer {
  readonly name: string;
  readonly create: PacerFactory;
  /** The walk its launches' calibration is assessed by (the pacer's `benchExactAgentTiming`, default the placement walk). */
  readonly exactAgentTiming: boolean | 'small-teams';
  /** The module's absolute path (workers load it again). */
  readonly path: string;
}

/** Load and check a pacer module (absolute path). */
export async function loadPacerModule(path: string, builtIn: readonly string[]): Promise<CustomPacer> {
  if (!existsSync(path)) throw new CliError(`--pacer-module: no file at ${path}`);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const create = (typeof mod.default === 'function' ? mod.default : mod.createPacer) as PacerFactory | undefined;
  if (typeof create !== 'function')
    throw new CliError(`--pacer-module: ${path} exports no pacer factory; export \`default\` (or \`createPacer\`): () => Pacer`);
  const sample = create();
  if (sample === null || typeof sample !== 'object' || typeof sample.decide !== 'function' || typeof sample.name !== 'string')
    throw new CliError(`--pacer-module: the factory of ${path} must return a Pacer ({ name: string, decide(state) })`);
  if (builtIn.includes(sample.name))
    throw new CliError(`--pacer-module: the pacer is named "${sample.name}", like a built-in one; give it another name`);
  return { name: sample.name, create, exactAgentTiming: sample.benchExactAgentTiming ?? false, path };
}
