import { AgentState, PacelineError } from '@paceline/core';
import { checkDisposition } from '../call/disposition';
import type { DispositionData, EngineCore } from '../engine-core';
import type { InboundOffer } from '../inbound/inbound-options';
import { inboundMayTake } from '../inbound/outbound-commitments';
import type { InboundForwarded, InboundPoolMessage } from './inbound-protocol';

/** An inbound call another node leads, with an agent of this node on it. */
interface RemoteInbound {
  readonly callId: string;
  readonly leader: string;
  readonly agentId: string;
  readonly queueId: string;
  /** What the agent desk was given, once connected. */
  offer?: InboundOffer;
  dispositioned: boolean;
}

type Message<T extends InboundPoolMessage['type']> = Extract<InboundPoolMessage, { type: T }>;

/**
 * issue-23: the agent's node's side of an inbound call another node leads (distributed mode):
 * the offer accepted only while the agent is ready here with the queue's skills (it is then
 * reserved) and declined otherwise; the connect shown to the agent (`inbound.connected`, the
 * `InboundOffer`); the agent's hang-up, disposition and do-not-call request forwarded to the
 * leader; the end (wrap-up) and the release after the disposition (`inbound.dispositioned`).
 * Every handler tolerates a repeated or late message (it finds no call, or the agent elsewhere).
 */
export class InboundMember {
  /** issue-23 23-xnode: by agent id (an agent has one such call; a call id is unique on its leading node only). */
  readonly #calls = new Map<string, RemoteInbound>();
  /** This node's liveness lease token (other nodes' agents on inbound calls this node leads check it). */
  #liveness: number | undefined;

  constructor(readonly core: EngineCore) {
    core.events.on('agentStateChanged', (e) => {
      if (e.to === AgentState.LoggedOut) this.#agentLeft(e.agentId);
    });
  }

  /** True while an agent of this node is reserved for, on, or wrapping up an inbound call another node leads. */
  has(callId: string): boolean {
    return this.#byCall(callId) !== undefined;
  }

  /** The remote call of that id (two leaders' calls with one id on this node at once: the first; the agent's host names the call by id). */
  #byCall(callId: string): RemoteInbound | undefined {
    for (const remote of this.#calls.values()) if (remote.callId === callId) return remote;
    return undefined;
  }

  /** issue-23 23-xnode: the agent's remote call, when it is `callId` of `leader` (a message from an older node: any leader). */
  #of(agentId: string, callId: string, leader: string | undefined): RemoteInbound | undefined {
    const remote = this.#calls.get(agentId);
    return remote?.callId === callId && (leader === undefined || remote.leader === leader) ? remote : undefined;
  }

  onMessage(m: InboundPoolMessage): void {
    if (m.type === 'inboundOffer') this.#onOffer(m);
    else if (m.type === 'inboundConnect') this.#onConnect(m.offer);
    else if (m.type === 'inboundCancel') this.#onCancel(m.callId, m.agentId, m.leader);
    else if (m.type === 'inboundEnded') this.#onEnded(m);
    else if (m.type === 'inboundReleased') this.#onReleased(m);
    // dnc-shared: the leader stored the request before sending this; read the shared list now rather than wait for the next sync.
    else if (m.type === 'inboundDnc') this.core.guard('do-not-call list sync', this.core.parts.dnc.sync());
  }

  /** A script answer's campaign for a returned call led elsewhere (the leader's `script` message). */
  campaignOf(callId: string): { campaignId: string; agentId: string } | undefined {
    const remote = this.#byCall(callId);
    const caller = remote?.offer?.caller;
    return remote && caller?.kind === 'returned' ? { campaignId: caller.campaignId, agentId: remote.agentId } : undefined;
  }

  /**
   * The agent's action on a call another node leads goes to that node. A disposition is
   * checked here first (a returned call's campaign codes, a non-empty code for a service call)
   * and taken once.
   */
  async forward(callId: string, action: InboundForwarded): Promise<void> {
    const remote = this.#byCall(callId);
    if (!remote) throw new PacelineError('E_NOT_FOUND', `inbound ${action.method}: no inbound call ${callId} on this node`);
    if (action.method === 'disposition') {
      if (remote.dispositioned) throw new PacelineError('E_CONFLICT', `inbound disposition: call ${callId} already has one`);
      const caller = remote.offer?.caller;
      const run = caller?.kind === 'returned' ? this.core.campaigns.get(caller.campaignId) : undefined;
      if (run) checkDisposition(run.campaign, action.code, action.data as DispositionData);
      else if (action.code.length === 0)
        throw new PacelineError('E_INVALID_DISPOSITION', 'inbound disposition: code: expected a non-empty code');
      remote.dispositioned = true;
    }
    await this.core.pool?.send(remote.leader, {
      type: 'inbound',
      message: { type: 'inboundForward', callId, agentId: remote.agentId, action },
    });
  }

  #onOffer(m: Message<'inboundOffer'>): void {
    const a = this.core.agents.get(m.agentId);
    const skilled = a !== undefined && m.skills.every((skill) => a.agent.skills.includes(skill));
    const reply = (type: 'inboundAccept' | 'inboundDecline', kept?: boolean) =>
      void this.core.pool?.send(m.leader, {
        type: 'inbound',
        message: { type, callId: m.callId, agentId: m.agentId, ...(kept ? { kept } : {}) },
      });
    // issue-23 23-router: nor an agent the outbound calls in flight here count on (outbound-commitments.ts).
    // issue-23 23-xnode: reserved here for a moment (this node's own caller, the rule being checked): not struck off, asked again.
    if (a?.state === AgentState.Reserved && skilled) {
      // issue-23 23-xwait: reserved for this node's claim in flight: the pool's answer first (it may give the agent to this offer's caller).
      const claim = this.core.parts.inbound?.claimSettled?.(m.agentId);
      if (claim)
        this.core.guard(
          'inbound offer after a claim',
          claim.then(() => this.#onOffer(m)),
        );
      else reply('inboundDecline', true);
      return;
    }
    if (!a || !skilled || a.state !== AgentState.Ready || a.preview || a.callId !== undefined) {
      reply('inboundDecline');
      return;
    }
    // issue-23 23-router: kept for outbound now (the leader may ask again, `kept`) — 23-pool: on the last read
    // of the other nodes' commitments that may be one refresh old, so the fresh read below decides.
    const keptNow = !inboundMayTake(this.core, a);
    this.core.parts.agents.setAgentState(a, AgentState.Reserved);
    a.callId = m.callId;
    this.#calls.set(m.agentId, { callId: m.callId, leader: m.leader, agentId: m.agentId, queueId: m.queueId, dispositioned: false });
    // issue-23 23-dist: reserved first, then the rule on a fresh read of the other nodes' commitments; refused: the agent back, declined.
    const confirm = this.core.parts.inbound?.confirmTake?.(a, keptNow) ?? Promise.resolve(!keptNow);
    this.core.guard(
      'inbound offer',
      confirm.then((ok) => {
        if (ok) return reply('inboundAccept');
        if (this.#of(m.agentId, m.callId, m.leader)) this.#calls.delete(m.agentId);
        if (a.state === AgentState.Reserved && a.callId === m.callId) {
          delete a.callId;
          this.core.parts.agents.setAgentState(a, AgentState.Ready);
          this.core.parts.agents.agentFree(a);
        }
        reply('inboundDecline', true);
      }),
    );
  }

  #onConnect(offer: InboundOffer): void {
    const remote = this.#of(offer.agentId, offer.callId, offer.callNode);
    const a = this.core.agents.get(offer.agentId);
    if (!remote || a?.callId !== offer.callId || a.state !== AgentState.Reserved) return;
    remote.offer = offer;
    this.core.parts.agents.setAgentState(a, AgentState.OnCall);
    this.core.events.emit('inbound.connected', offer);
  }

  /** The offer was withdrawn (declined elsewhere, the deadline, the caller gone): a reserved agent is ready again. */
  #onCancel(callId: string, agentId: string, leader: string | undefined): void {
    const remote = this.#calls.get(agentId);
    // issue-23 23-xnode: the agent is on another leader's call of that id: not this one's to cancel.
    if (remote !== undefined && remote.callId === callId && leader !== undefined && remote.leader !== leader) return;
    if (remote?.callId === callId && remote.offer === undefined) this.#calls.delete(agentId);
    const a = this.core.agents.get(agentId);
    if (a?.callId !== callId || a.state !== AgentState.Reserved) return;
    delete a.callId;
    this.core.parts.agents.setAgentState(a, AgentState.Ready);
    this.core.parts.agents.agentFree(a);
  }

  #onEnded(m: Message<'inboundEnded'>): void {
    const remote = this.#of(m.agentId, m.callId, m.leader);
    const a = this.core.agents.get(m.agentId);
    if (!remote?.offer || a?.callId !== m.callId || a.state !== AgentState.OnCall) return;
    this.core.parts.agents.setAgentState(a, AgentState.WrapUp);
    const { callId, queueId, caller } = remote.offer;
    this.core.events.emit('inbound.ended', { callId, queueId, caller, at: m.at, agentId: m.agentId });
  }

  #onReleased(m: Message<'inboundReleased'>): void {
    const remote = this.#of(m.agentId, m.callId, m.leader);
    if (remote) this.#calls.delete(m.agentId);
    else if (m.leader !== undefined && this.#calls.get(m.agentId)?.callId === m.callId) return; // 23-xnode: another leader's call of that id
    if (remote?.offer) {
      const { callId, queueId, caller } = remote.offer;
      const at = this.core.deps.clock.now();
      const order = m.orderId === undefined ? {} : { orderId: m.orderId };
      this.core.events.emit('inbound.dispositioned', {
        callId,
        queueId,
        caller,
        at,
        agentId: m.agentId,
        code: m.code,
        sale: m.sale,
        ...order,
      });
    }
    this.core.parts.agents.releaseAfterWrapUp(m.agentId, m.callId, m.agentNext);
  }

  /**
   * Every heartbeat (a third of the lease TTL): vouch for this node with its liveness lease
   * (`inbound-node:<id>`), and release the agents here whose inbound call's leading node lost its
   * own (it died: its trunk, and the call, are gone). An agent on the call goes to wrap-up
   * (`inbound.ended`) and is ready again at once: the leader that would record its disposition is gone.
   */
  async heartbeat(now: number): Promise<void> {
    const lease = this.core.lease;
    if (!lease) return;
    const { nodeId } = this.core;
    const ttlMs = this.core.parts.poolMember.leaseTtlMs;
    const token = this.#liveness;
    if (token === undefined || !(await lease.renew(livenessLease(nodeId), nodeId, token, ttlMs, now)))
      this.#liveness = await lease.acquire(livenessLease(nodeId), nodeId, ttlMs, now);
    for (const [key, remote] of [...this.#calls]) {
      if ((await lease.current(livenessLease(remote.leader), now))?.holder === remote.leader) continue;
      this.#calls.delete(key);
      const { callId } = remote;
      const a = this.core.agents.get(remote.agentId);
      if (a?.callId !== callId) continue;
      this.core.deps.logger.warn({ callId, agentId: remote.agentId }, 'the node holding this inbound call is gone; the agent is released');
      if (a.state === AgentState.OnCall && remote.offer) {
        this.core.parts.agents.setAgentState(a, AgentState.WrapUp);
        const { queueId, caller } = remote.offer;
        this.core.events.emit('inbound.ended', { callId, queueId, caller, at: now, agentId: remote.agentId });
      }
      delete a.callId;
      this.core.parts.agents.setAgentState(a, AgentState.Ready);
      this.core.parts.agents.agentFree(a);
    }
  }

  /** The agent logged out while reserved for, on or wrapping up a call led elsewhere: that node goes on without it. */
  #agentLeft(agentId: string): void {
    for (const [key, remote] of this.#calls) {
      if (remote.agentId !== agentId) continue;
      this.#calls.delete(key);
      const { callId } = remote;
      void this.core.pool?.send(remote.leader, { type: 'inbound', message: { type: 'inboundAgentLeft', callId, agentId } });
    }
  }
}

/** issue-23: the lease a node holds while it lives (the agents on inbound calls it leads check it). */
export const livenessLease = (nodeId: string): string => `inbound-node:${nodeId}`;
