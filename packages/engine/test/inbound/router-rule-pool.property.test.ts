import { AgentState, type PooledAgent } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallPhase } from '../../src/call/call-machine';
import { inboundMayTake, inboundRoom, localAbsorb, localInFlight } from '../../src/inbound/outbound-commitments';
import { T0, type World, world } from './rule-world';

/** One node's part of campaign `k`: its calls that may still answer live, its ready and busy agents. */
interface NodePart {
  readonly calls: number;
  readonly ready: number;
  readonly busy: number;
}

const pooled = (node: number, part: NodePart, state: AgentState): PooledAgent[] =>
  Array.from({ length: state === AgentState.Ready ? part.ready : part.busy }, (_, j) => ({
    agentId: `n${node}-${state}-${j}`,
    nodeId: `n${node}`,
    campaignIds: ['k'],
    skills: ['service'],
    state,
    since: T0,
    seenAt: T0,
  }));

/** Add a node's calls and agents to a world (agent ids as the pool names them). */
function place(w: World, node: number, part: NodePart): void {
  for (let j = 0; j < part.calls; j++) w.call(`n${node}-call-${j}`, j % 2 === 0 ? CallPhase.Ringing : CallPhase.Dialing);
  for (const a of [...pooled(node, part, AgentState.Ready), ...pooled(node, part, AgentState.WrapUp)]) w.agent(a.agentId, a.state);
}

describe('the router rule across nodes (issue 23, 23-dist): property over the shared state', () => {
  it('each node, adding the other nodes’ published shares and pool entries to its own, decides as one node holding every call and agent would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ calls: fc.nat(4), ready: fc.nat(3), busy: fc.nat(2) }), { minLength: 1, maxLength: 4 }),
        fc.nat(80),
        fc.nat(4),
        fc.nat(3),
        async (parts, live, abandonedRaw, leaderIndex) => {
          const abandoned = Math.min(abandonedRaw, live);
          const leader = leaderIndex % parts.length;
          // The cluster as one node.
          const union = world();
          await union.day(live, abandoned);
          for (const [i, part] of parts.entries()) place(union, i, part);
          const expected = inboundRoom(union.core, union.run);
          const absorb = localAbsorb(union.run);
          for (let i = 0; i < parts.length; i++) {
            const here = world();
            if (i === leader) await here.day(live, abandoned); // only the leader paces, so only it has read the day
            place(here, i, parts[i] as NodePart);
            const others = parts.flatMap((part, j) =>
              j === i ? [] : [...pooled(j, part, AgentState.Ready), ...pooled(j, part, AgentState.WrapUp)],
            );
            // What PoolCommitments reads: the other nodes' shares (their inFlight; the leader's absorb) and their agents.
            const blend = here.run.blend as NonNullable<typeof here.run.blend>;
            blend.pool = {
              inFlight: parts.reduce((sum, part, j) => (j === i ? sum : sum + part.calls), 0),
              absorb: i === leader ? undefined : absorb,
              agents: others,
              readAt: T0,
            };
            // The leader also lists the other nodes' agents itself (`run.pooled`): each agent counts once.
            if (i === leader) here.run.pooled = others;
            expect(localInFlight(here.core, here.run)).toBe(parts[i]?.calls);
            expect(inboundRoom(here.core, here.run)).toBe(expected);
            const mine = pooled(i, parts[i] as NodePart, AgentState.Ready)[0];
            const agent = mine && here.core.agents.get(mine.agentId);
            if (agent) expect(inboundMayTake(here.core, agent)).toBe((expected ?? 0) >= 1);
          }
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});
