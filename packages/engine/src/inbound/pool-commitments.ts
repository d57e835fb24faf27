import {
  type AgentPool,
  AgentState,
  type PooledAgent,
  type PooledCommitment,
  type PoolServiceOrder,
  type TimerHandle,
} from '@paceline/core';
import type { AgentRuntime, CampaignRuntime, EngineCore } from '../engine-core';
import type { ArrivalDeferral } from './arrival-deferral';
import type { PoolShare } from './blended-pacer';
import { inboundRoom, localAbsorb, localInFlight } from './outbound-commitments';

/**
 * How often a node publishes its commitments and reads the other nodes', ms. Between reads a
 * node's rule decides on the last read (the window in which two nodes can still both act on a
 * stale view: docs/blending.md "The router rule across nodes").
 */
export const COMMITMENTS_REFRESH_MS = 250;

/** A campaign under the `demand` blend (its router rule has a seam). */
export type BlendedRun = CampaignRuntime & { blend: NonNullable<CampaignRuntime['blend']> };

/** The agent pool's two commitment methods (both present: the router rule across nodes); 23-xnode: and, when it has them, the rule's atomic steps. */
type CommitmentsPool = Required<Pick<AgentPool, 'putCommitment' | 'listCommitments'>> & Pick<AgentPool, 'claimAgent' | 'launchCommitment'>;

/**
 * issue-23 23-dist: the router rule of the `demand` blend across engine nodes (distributed mode
 * with an agent pool that has `putCommitment`/`listCommitments`). Each node's rule sees only
 * the outbound calls it leads, so without this an agent's node could give an inbound caller the
 * ready agent that the campaign's calls on the leader count on. Per blended campaign this node
 * publishes its share — `inFlight` (P's part here: its calls that may still answer live, the
 * decided-but-not-created included) and `absorb` (k, when it paces the campaign and has read
 * the calling day) — at once when it changes (a round decided, a call resolved) and every
 * {@link COMMITMENTS_REFRESH_MS} as a heartbeat; and reads the other nodes' fresh shares and
 * their agents of the campaign into `run.blend.pool`, which the rule (`inboundRoom`) adds to
 * its own counts: P summed over the nodes, R every node's ready agents, k the smallest absorb
 * a fresh node publishes. An entry not refreshed within the lease TTL (the injected clock) is a
 * dead node's: ignored, and dropped from the pool.
 */
export class PoolCommitments {
  #timer: TimerHandle | undefined;
  #closed = false;
  #refreshing = false;
  #publishQueued = false;

  /** issue-23 23-xdefer: the events that move this node's arrival-deferral claims beyond `onOutboundResolved`'s (a greeting starts, a live answer found). */
  readonly #off: Array<() => void> = [];

  constructor(
    readonly core: EngineCore,
    readonly pool: CommitmentsPool,
    /** Called after a read that changed a campaign's share: a caller the rule kept may now be served. */
    readonly changed: () => void,
    /** issue-23 23-xdefer: the router's arrival deferral (undefined: off): its claims of this node's calls go in the commitment. */
    readonly deferral?: Pick<ArrivalDeferral, 'localClaims'>,
  ) {
    this.#schedule();
    if (deferral) for (const event of ['answered', 'analysed'] as const) this.#off.push(core.events.on(event, () => this.publishSoon()));
  }

  /** The agent pool's methods when it has both, else undefined (each node's rule on its own calls). */
  static poolOf(pool: AgentPool | undefined): CommitmentsPool | undefined {
    if (!pool?.putCommitment || !pool.listCommitments) return undefined;
    return pool as CommitmentsPool;
  }

  /** Publish this node's shares on a microtask (after the event's state change; several events, one write each). */
  publishSoon(): void {
    if (this.#publishQueued || this.#closed) return;
    this.#publishQueued = true;
    void Promise.resolve().then(async () => {
      this.#publishQueued = false;
      // issue-23 23-xclaim: after the agent entries this node queued before (an outbound live answer's two
      // writes in that order: R falls before P), the share computed when it is sent (never older than a launch).
      await this.core.pool?.published();
      if (this.#closed) return;
      const now = this.core.deps.clock.now();
      for (const run of this.#runs()) this.core.guard('router rule commitments', this.pool.putCommitment(this.#mine(run, now)));
    });
  }

  /** Publish this node's shares and read every node's (one at a time; a failure is reported and tried again next period). */
  async refresh(): Promise<void> {
    if (this.#refreshing || this.#closed) return;
    this.#refreshing = true;
    try {
      let changed = false;
      const runs = [...this.#runs()];
      // issue-23 23-pool: one listing of the pool's agents serves every blended campaign's read.
      const now = this.core.deps.clock.now();
      const ids = runs.map((run) => run.campaign.id);
      const agents = runs.length === 0 ? [] : ((await this.core.pool?.othersOf(ids, this.core.parts.poolMember.freshSince(now))) ?? []);
      for (const run of runs) changed = (await this.#read(run, agents)) || changed;
      if (changed && !this.#closed) this.changed();
    } finally {
      this.#refreshing = false;
    }
  }

  /**
   * Just before a local agent already claimed for an inbound caller is offered the call: read
   * the other nodes' shares of every blended campaign counting on the agent afresh, and say
   * whether the rule still lets the caller have them (the agent, reserved now, no longer counts
   * in R: the room must stay ≥ 0). Narrows the window of a stale view to this read's round trip;
   * a failed read leaves the last one (never throws).
   */
  async confirm(agent: AgentRuntime, order?: PoolServiceOrder): Promise<'taken' | 'kept' | 'older'> {
    let blended = false;
    for (const id of agent.campaigns) {
      const run = this.core.campaigns.get(id);
      if (run?.blend === undefined) continue;
      blended = true;
      // The pool away: decide on the last read (reported; the store's watcher reports the outage too).
      await this.#read(run as BlendedRun).catch((error: unknown) => this.core.report('router rule commitments', error));
      const room = inboundRoom(this.core, run);
      if (room !== undefined && room < 0) return 'kept';
    }
    // issue-23 23-xnode: then the rule on the pool's state and the take in one atomic step, ordered
    // against every leader's launch (`launch`): docs/blending.md "The take and the launch, ordered".
    // 23-xwait: and, for a caller of this node (`order`), the router's order across nodes in the same step.
    if (!blended && !order) return 'taken';
    return poolClaim(this.core, this.pool, agent, [...agent.campaigns], order, 'router rule take'); // the pool away: the read above decided
  }

  /**
   * issue-23 23-xnode: a round's launch of `launch` calls of the campaign, ordered against every
   * node's takes of its agents: the pool says, in one atomic step with this node's commitment
   * written, how many the router rule allows on its state (`AgentPool.launchCommitment`). The
   * caller sets `run.blend.launching = launch` first, so a share published meanwhile counts
   * them (over, never under). The pool away or without the step: `launch` (this node's rule).
   */
  async launch(run: BlendedRun, launch: number): Promise<number> {
    if (!this.pool.launchCommitment || launch <= 0) return launch;
    const now = this.core.deps.clock.now();
    const mine = this.#mine(run, now);
    const before = { ...mine, inFlight: Math.max(0, mine.inFlight - launch) };
    try {
      return await this.pool.launchCommitment(before, launch, this.core.parts.poolMember.freshSince(now));
    } catch (error) {
      this.core.report('router rule launch', error);
      return launch;
    }
  }

  /**
   * Read the other nodes' shares of the campaign and their agents of it — with `listed` (the
   * periodic refresh: the pool's agents listed once for every campaign) this node's share is
   * published first and the agents taken from the listing; without, read afresh. True when
   * what the rule reads changed.
   */
  async #read(run: BlendedRun, listed?: readonly PooledAgent[]): Promise<boolean> {
    const now = this.core.deps.clock.now();
    const freshSince = this.core.parts.poolMember.freshSince(now);
    if (listed) {
      await this.core.pool?.published(); // issue-23 23-xclaim: after the agent entries queued before (see publishSoon)
      await this.pool.putCommitment(this.#mine(run, this.core.deps.clock.now()));
    }
    const id = run.campaign.id;
    const [shares, agents] = await Promise.all([
      this.pool.listCommitments(id, freshSince),
      listed ? listed.filter((a) => a.campaignIds.includes(id)) : (this.core.pool?.others(id, freshSince) ?? []),
    ]);
    let inFlight = 0;
    let absorb: number | undefined;
    const claims: { claims: number; seenAt: number }[] = [];
    for (const s of shares) {
      if (s.nodeId === this.core.nodeId) continue;
      inFlight += s.inFlight;
      if (s.absorb !== undefined) absorb = Math.min(absorb ?? s.absorb, s.absorb);
      if (typeof s.claims === 'number' && s.claims > 0) claims.push({ claims: s.claims, seenAt: s.seenAt }); // 23-xdefer
    }
    const before = run.blend.pool;
    const share: PoolShare = { inFlight, absorb, agents, readAt: now, claims };
    run.blend.pool = share;
    return before === undefined || differs(before, share);
  }

  close(): void {
    this.#closed = true;
    for (const off of this.#off.splice(0)) off();
    if (this.#timer !== undefined) this.core.deps.clock.clearTimer(this.#timer);
  }

  /** The blended campaigns this node runs (every node: the agents here may be counted by a leader elsewhere). */
  *#runs(): Generator<CampaignRuntime & { blend: NonNullable<CampaignRuntime['blend']> }> {
    for (const run of this.core.campaigns.values())
      if (run.blend !== undefined) yield run as CampaignRuntime & { blend: NonNullable<CampaignRuntime['blend']> };
  }

  #mine(run: CampaignRuntime, now: number): PooledCommitment {
    const absorb = localAbsorb(run);
    return {
      campaignId: run.campaign.id,
      nodeId: this.core.nodeId,
      inFlight: localInFlight(this.core, run),
      ...(absorb === undefined ? {} : { absorb }),
      ...(this.deferral === undefined ? {} : { claims: this.deferral.localClaims(run.campaign.id) }), // 23-xdefer
      seenAt: now,
    };
  }

  #schedule(): void {
    if (this.#closed || this.core.closed) return;
    this.#timer = this.core.deps.clock.setTimer(COMMITMENTS_REFRESH_MS, () => {
      this.#timer = undefined;
      this.core.guard('router rule commitments', this.refresh());
      this.#schedule();
    });
  }
}

/**
 * The pool's atomic claim of a local agent for her inbound call (`AgentPool.claimAgent`): the
 * router rule of `campaigns` (the blended campaigns counting on her; `[]` outside the `demand`
 * blend) on the pool's state, and with `order` the router's order across nodes and the `takenBy`
 * marks. Without the step, or without her call: taken. The pool away: taken, reported as `label`
 * (the caller's last read, or a single node's view, decided). Serves `PoolCommitments.confirm` and
 * the claim outside the blend (`InboundRouter.claim`, issue-23 23-xclaim).
 */
export async function poolClaim(
  core: EngineCore,
  pool: Pick<AgentPool, 'claimAgent'> | undefined,
  agent: AgentRuntime,
  campaigns: readonly string[],
  order: PoolServiceOrder | undefined,
  label: string,
): Promise<'taken' | 'kept' | 'older'> {
  if (!pool?.claimAgent || agent.callId === undefined) return 'taken';
  const now = core.deps.clock.now();
  try {
    return await pool.claimAgent(agent.agent.id, campaigns, agent.callId, now, core.parts.poolMember.freshSince(now), order);
  } catch (error) {
    core.report(label, error);
    return 'taken';
  }
}

/** A share whose counts the rule (23-xdefer: or the arrival deferral) reads differently. */
function differs(a: PoolShare, b: PoolShare): boolean {
  const ready = (s: PoolShare) => s.agents.filter((x) => x.state === AgentState.Ready).length;
  const claims = (s: PoolShare) => (s.claims ?? []).reduce((sum, c) => sum + c.claims, 0);
  return a.inFlight !== b.inFlight || a.absorb !== b.absorb || ready(a) !== ready(b) || claims(a) !== claims(b);
}
