/**
 * rb11: the two pooled nodes of the in-process blend tests (pool-away, router-rule-pool,
 * inbound-only-agent): nodes `a` and `b` built by {@link createNodeDialer} on one Redis, sharing the
 * Redis agent pool, in a tenant of their own (`<name>-<pid>-<n>`, one per call), each on a trunk-sim
 * trunk with the same outcome model; `options` adds what a test varies (inbound queues, a pool view,
 * the pool's own server). Nothing is torn down here: close both nodes.
 */
import type { SimOutcomeModel, SimTrunk } from '@paceline/trunk-sim';
import { createSimTrunk } from '@paceline/trunk-sim';
import { createNodeDialer, type NodeDialer, type NodeDialerOptions } from './node-dialer';

/** What a test gives the pair beyond the shared Redis, the tenant, the pool and the trunk. */
export type PooledPairOptions = Omit<NodeDialerOptions<SimTrunk>, 'url' | 'nodeId' | 'tenant' | 'pooled' | 'trunk'>;

let pairs = 0;

/** Nodes a and b on `url`, pooled, in a new tenant named after `name`; every call a plan of `model`. */
export function pooledPair(
  url: string,
  name: string,
  model: SimOutcomeModel,
  options: PooledPairOptions = {},
): { readonly a: NodeDialer<SimTrunk>; readonly b: NodeDialer<SimTrunk>; readonly tenant: string } {
  const tenant = `${name}-${process.pid}-${++pairs}`;
  const node = (nodeId: string) =>
    createNodeDialer({ ...options, url, nodeId, tenant, pooled: true, trunk: (clock, random) => createSimTrunk({ clock, random, model }) });
  return { a: node('a'), b: node('b'), tenant };
}
