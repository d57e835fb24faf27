import { AgentState } from '@paceline/core';
import { CallPhase } from '../call/call-machine';
import type { AgentRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import { dayAbsorb } from './blended-pacer';

/**
 * The router rule of the `demand` blend (issue 23, 23-router): inbound routing never takes the
 * agents the outbound pacer counted on beyond what the calling day's abandon budget absorbs.
 *
 * A predictive campaign's outbound calls are not dialled for named agents: each call in flight
 * that may still answer live (dialling, ringing, being analysed, or a live answer waiting for an
 * agent — P of them) needs *some* ready agent of its campaign when it answers. With R of the
 * campaign's agents ready now, at most max(0, P − R) of those calls can be abandoned if every
 * one answers live and no agent frees up in time. The day guard (`dayGuardRoom`) launches only
 * while that worst case stays within k, the abandons the day still absorbs within the cap
 * (`dayAbsorb`, on the day's own counts). This rule keeps it there between pacing rounds: an
 * inbound caller (new, queued, overflowed, or offered by another node) may take one of the
 * campaign's ready agents only while max(0, P − (R − 1)) ≤ k, i.e. `inboundRoom(…) ≥ 1`;
 * otherwise the caller waits — for an agent who frees up (wrap-up ends: not counted in R, so
 * the rule allows it), for an outbound call to resolve without needing an agent (no answer,
 * busy, a machine: P falls), or for the day to absorb more (k grows with live answers). The
 * desk tries its waiting callers again on each of those events (`InboundDesk`).
 *
 * Why the invariant holds: a launch keeps P − R ≤ k (the guard counts fewer agents free than R:
 * it also subtracts the reserve held on busy agents and the queued callers); a live answer that
 * connects lowers P and R by one and raises k or keeps it; an abandon lowers P by one and k by
 * exactly one; a call ending without an agent lowers P; an agent freeing up raises R; inbound
 * taking a ready agent lowers R only when the rule allows it. What it cannot hold: an agent who
 * goes not ready or logs out while calls count on them (the host's act, not the router's: R drops
 * and the rule keeps every ready agent from inbound until P, R and k fit again). In distributed
 * mode each node adds the other nodes' calls, agents and day absorb as last read from the agent
 * pool (`PoolCommitments`, issue-23 23-dist); between reads two nodes can act on views up to one
 * refresh old (docs/blending.md "The router rule across nodes"). Campaigns on the `hold` model, or
 * whose pacer is not the blended one, have no rule (`run.blend` undefined): routing is as before.
 */
export function inboundRoom(core: EngineCore, run: CampaignRuntime): number | undefined {
  const seam = run.blend;
  if (seam === undefined) return undefined;
  // issue-23 23-dist: in distributed mode the other nodes' part, as last read from the pool (`PoolCommitments`).
  const share = seam.pool;
  const inFlight = localInFlight(core, run) + (share?.inFlight ?? 0);
  if (inFlight === 0) return Number.POSITIVE_INFINITY;
  const id = run.campaign.id;
  let ready = readyElsewhere(run);
  for (const a of core.agents.values()) if (a.campaigns.has(id) && readyForOutbound(a)) ready++;
  const mine = localAbsorb(run);
  const theirs = share?.absorb;
  // Before any day read (or outside a calling day) nothing is absorbed; two readings: the smaller.
  const absorb = mine === undefined ? (theirs ?? 0) : theirs === undefined ? mine : Math.min(mine, theirs);
  return ready - Math.max(0, inFlight - absorb);
}

/**
 * The campaign's ready agents on the other nodes, each once: the pool's entries as last read
 * (`run.blend.pool`), with what this node (a leader) knows later (`run.pooled`: its reservations).
 * issue-23 23-xdefer: with `freshSince` only the entries its node vouched for since (the arrival
 * deferral: a dead node's agents do not count, however old the last read).
 */
export function readyElsewhere(run: CampaignRuntime, freshSince?: number): number {
  const others = new Map(run.blend?.pool?.agents.map((a) => [a.agentId, a]));
  for (const p of run.pooled) others.set(p.agentId, p);
  let ready = 0;
  for (const a of others.values()) if (a.state === AgentState.Ready && (freshSince === undefined || a.seenAt >= freshSince)) ready++;
  return ready;
}

/** This node's part of P for the campaign: the round's decided-but-not-created calls and its calls that may still answer live. */
export function localInFlight(core: EngineCore, run: CampaignRuntime): number {
  let inFlight = run.blend?.launching ?? 0;
  for (const c of core.calls.values()) if (c.run === run && mayNeedReadyAgent(c.snapshot.phase, c.snapshot.machine)) inFlight++;
  return inFlight;
}

/** k as this node counts it: the abandons the span's counts now still absorb within the cap; undefined before the span's first read. */
export function localAbsorb(run: CampaignRuntime): number | undefined {
  const seam = run.blend;
  const day = seam?.span === undefined ? undefined : seam.ledger.current(run, seam.span.startMs);
  return day === undefined ? undefined : Math.max(0, dayAbsorb(run.campaign.pacing.abandonTarget, day));
}

/** True when the rule lets an inbound caller take `agent` now (always for an agent no blended campaign counts as ready). */
export function inboundMayTake(core: EngineCore, agent: AgentRuntime): boolean {
  if (!readyForOutbound(agent)) return true;
  for (const id of agent.campaigns) {
    const run = core.campaigns.get(id);
    const room = run === undefined ? undefined : inboundRoom(core, run);
    if (room !== undefined && room < 1) return false;
  }
  return true;
}

/** A ready agent an outbound live answer of its campaigns can be given now (the arrival deferral counts the same agents). */
export function readyForOutbound(a: AgentRuntime): boolean {
  return a.state === AgentState.Ready && a.callId === undefined && a.preview === undefined;
}

/** A call that may still answer live and need a ready agent: not yet answered, being analysed (not a machine), or waiting for one. */
function mayNeedReadyAgent(phase: CallPhase, machine: boolean | undefined): boolean {
  if (machine === true) return false;
  return phase === CallPhase.Dialing || phase === CallPhase.Ringing || phase === CallPhase.Analysing || phase === CallPhase.Waiting;
}

/**
 * Call `retry` (on a microtask, after the call's state has moved) whenever an outbound call
 * resolves or connects, an agent becomes ready, or a pacing round has decided: the moments the
 * rule may let a waiting caller take an agent. Returns the unsubscribe.
 */
export function onOutboundResolved(core: EngineCore, retry: () => void): () => void {
  const soon = () =>
    void Promise.resolve()
      .then(retry)
      .catch((error: unknown) => core.report('inbound retry after an outbound call', error));
  const offs = [
    core.events.on('ended', soon),
    core.events.on('connected', soon),
    core.events.on('abandoned', soon),
    core.events.on('analysed', ({ result }) => result === 'machine' && soon()),
    core.events.on('pacingDecision', soon),
    core.events.on('agentStateChanged', ({ to }) => to === AgentState.Ready && soon()),
  ];
  return () => {
    for (const off of offs) off();
  };
}
