// The engine "nodes" of the distributed tests: real processes running engine-node.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const here = dirname(fileURLToPath(import.meta.url));

/** One line an engine node printed (see engine-node.ts). */
export interface NodeEvent {
  node: string;
  type: string;
  contact?: string;
  attempt?: string;
  at?: number;
  leader?: boolean;
  reconciled?: number;
  state?: string;
  code?: string;
  agent?: string;
  latency?: number;
  /** `agentState` events: the agent's state change's reason. */
  reason?: string;
  /** `amd` event (issue-17): the leader's calibration count at the campaign's end. */
  machinesConnectedAsPeople?: number;
  /** `error` events: where the engine reported it, and the message. */
  where?: string;
  message?: string;
}

/** Start engine-node.ts as a plain node process; `events` collects what it prints. */
export function startNode(
  url: string,
  id: string,
  agents: number,
  events: NodeEvent[],
  options: { create?: number; pool?: boolean; extra?: readonly string[]; script?: string } = {},
): { child: ChildProcess; ready: Promise<void> } {
  // One plain node process (tsx as a loader, not its CLI wrapper), so SIGKILL kills the engine itself.
  const args = [
    '--import',
    'tsx',
    '--conditions=@paceline/source',
    join(here, options.script ?? 'engine-node.ts'),
    url,
    id,
    String(agents),
    ...(options.create ? ['--create', String(options.create)] : []),
    ...(options.pool ? ['--pool'] : []),
    ...(options.extra ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as NodeEvent;
      events.push(event);
      if (event.type === 'ready') resolveReady();
    });
  }
  return { child, ready };
}

/** The end of every two-process test: kill its engine nodes (SIGKILL: nothing of theirs runs on) and close its own Redis connection. */
export async function stopNodes(nodes: readonly { readonly child: ChildProcess }[], redis?: Redis): Promise<void> {
  for (const node of nodes) node.child.kill('SIGKILL');
  await redis?.quit();
}

/** issue-23: start a test from an empty Redis (the nodes add the campaign). */
export async function emptyRedis(url: string): Promise<void> {
  const redis = new Redis(url);
  await redis.flushall();
  await redis.quit();
}

export { waitFor } from '../support/wait-for';
