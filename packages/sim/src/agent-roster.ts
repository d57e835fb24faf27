import { AgentState, type Clock, PacelineError, type Random } from '@paceline/core';
import type { ContactFlow, ObservedAgent } from '@paceline/pacing';
import { createDistribution, type Distribution, type DistributionSpec } from './model/distribution';

/** A group of identical agents on one shift. Times are ms from the simulation's start. */
export interface AgentShift {
  /** Agents on this shift. */
  readonly count: number;
  /** Login time, ms from the start. */
  readonly loginAtMs: number;
  /** Logout time, ms from the start (an agent on a call finishes it first). */
  readonly logoutAtMs: number;
  /** Breaks (not-ready), ms from the start; an agent on a call takes the break after it. */
  readonly breaks?: readonly { readonly atMs: number; readonly durationMs: number }[];
  /** Wrap-up after each call (default: none). */
  readonly wrap?: DistributionSpec;
  /** Stagger logins and breaks uniformly over this many ms, so a shift does not move as one (default 0). */
  readonly staggerMs?: number;
  /**
   * Scheduled breaks and logouts are announced this long ahead (default 30 s): the agent is
   * flagged `leaving` (the pacer stops counting them as future supply) but still takes calls.
   */
  readonly noticeMs?: number;
}

/** A simulated agent. The pacer reads it as an `ObservedAgent` (the same object, updated in place). */
export class SimAgent implements ObservedAgent {
  state: AgentState = AgentState.LoggedOut;
  /** When the current state began, epoch ms. */
  since = 0;
  timeInStateMs = 0;
  leaving = false;
  /** A scheduled break or logout was announced and has not started yet. */
  announced = false;
  /** What the agent does when the current call's work ends. */
  after: 'ready' | 'break' | 'logout' = 'ready';
  /** Length of the break taken after the current call, ms. */
  breakMs = 0;
  /** The agent's last ready period started after a call (agent wait is measured between two calls). */
  readyAfterCall = false;
  /** issue-23 23-flowtab: the contact flow of the agent's current (or last) call, set when a call connects. */
  flow: ContactFlow | undefined = undefined;

  constructor(
    readonly id: string,
    readonly wrap: Distribution,
  ) {}
}

/** Time spent in each agent state, summed over agents, ms. */
export interface AgentTime {
  ready: number;
  reserved: number;
  talk: number;
  wrap: number;
  notReady: number;
}

/** What the roster tells its owner (the dialer): an agent became ready for calls. */
export interface RosterListener {
  agentReady(agent: SimAgent): void;
}

/**
 * The agents: login schedules, breaks and logouts on the clock, state changes with time
 * accounting. The dialer moves agents onto calls and back with `startCall`/`endTalk`/`endWork`.
 */
export class AgentRoster {
  readonly agents: SimAgent[] = [];
  readonly time: AgentTime = { ready: 0, reserved: 0, talk: 0, wrap: 0, notReady: 0 };
  #listener: RosterListener | undefined;

  constructor(
    readonly clock: Clock,
    readonly startAt: number,
    shifts: readonly AgentShift[],
    readonly random: Random,
  ) {
    let n = 0;
    shifts.forEach((shift, s) => {
      if (!Number.isInteger(shift.count) || shift.count < 0) {
        throw new PacelineError('E_INVALID_CONFIG', `shifts[${s}].count: expected a whole number ≥ 0, got ${shift.count}`);
      }
      if (!(shift.logoutAtMs > shift.loginAtMs)) {
        throw new PacelineError(
          'E_INVALID_CONFIG',
          `shifts[${s}].logoutAtMs: expected after loginAtMs (${shift.loginAtMs}), got ${shift.logoutAtMs}`,
        );
      }
      const wrap = createDistribution(shift.wrap ?? { kind: 'constant', valueMs: 0 }, `shifts[${s}].wrap`);
      for (let i = 0; i < shift.count; i++) {
        const agent = new SimAgent(`a${++n}`, wrap);
        this.agents.push(agent);
        const jitter = (shift.staggerMs ?? 0) * random.next();
        clock.setTimer(startAt + shift.loginAtMs + jitter - clock.now(), () => this.#login(agent));
        const notice = shift.noticeMs ?? 30_000;
        for (const b of shift.breaks ?? []) {
          const at = startAt + b.atMs + (shift.staggerMs ?? 0) * random.next() - clock.now();
          clock.setTimer(at - notice, () => this.#announce(agent));
          clock.setTimer(at, () => this.#break(agent, b.durationMs));
        }
        const logoutAt = startAt + shift.logoutAtMs + jitter - clock.now();
        clock.setTimer(logoutAt - notice, () => this.#announce(agent));
        clock.setTimer(logoutAt, () => this.#logout(agent));
      }
    });
  }

  /** Set the owner notified when agents become ready. */
  listen(listener: RosterListener): void {
    this.#listener = listener;
  }

  /** Move an agent to a state, accounting the time spent in the previous one. */
  transition(agent: SimAgent, state: AgentState): void {
    const now = this.clock.now();
    this.#account(agent, now);
    agent.state = state;
    agent.since = now;
    if (state === AgentState.Ready) this.#listener?.agentReady(agent);
  }

  /** Close the time accounting at `now` (the end of a run). */
  close(now: number): void {
    for (const agent of this.agents) {
      this.#account(agent, now);
      agent.since = now;
    }
  }

  /** The agent's call work (talk and wrap-up) ended: ready, or the break or logout that was waiting. */
  endWork(agent: SimAgent): void {
    const after = agent.after;
    agent.after = 'ready';
    agent.leaving = agent.announced;
    if (after === 'logout') {
      agent.leaving = false;
      agent.announced = false;
      this.transition(agent, AgentState.LoggedOut);
    } else if (after === 'break') this.#startBreak(agent, agent.breakMs);
    else {
      agent.readyAfterCall = true;
      this.transition(agent, AgentState.Ready);
    }
  }

  #account(agent: SimAgent, now: number): void {
    const dt = now - agent.since;
    const t = this.time;
    switch (agent.state) {
      case AgentState.Ready:
        t.ready += dt;
        break;
      case AgentState.Reserved:
        t.reserved += dt;
        break;
      case AgentState.OnCall:
        t.talk += dt;
        break;
      case AgentState.WrapUp:
        t.wrap += dt;
        break;
      case AgentState.NotReady:
        t.notReady += dt;
        break;
      default:
        break;
    }
  }

  #busy(agent: SimAgent): boolean {
    return agent.state === AgentState.OnCall || agent.state === AgentState.WrapUp || agent.state === AgentState.Reserved;
  }

  #login(agent: SimAgent): void {
    if (agent.state !== AgentState.LoggedOut) return;
    agent.readyAfterCall = false;
    this.transition(agent, AgentState.Ready);
  }

  #announce(agent: SimAgent): void {
    if (agent.state === AgentState.LoggedOut || agent.state === AgentState.NotReady) return;
    agent.announced = true;
    agent.leaving = true;
  }

  #break(agent: SimAgent, durationMs: number): void {
    if (agent.state === AgentState.Ready) this.#startBreak(agent, durationMs);
    else if (this.#busy(agent) && agent.after === 'ready') {
      agent.after = 'break';
      agent.breakMs = durationMs;
      agent.leaving = true;
    }
  }

  #startBreak(agent: SimAgent, durationMs: number): void {
    agent.leaving = false;
    agent.announced = false;
    this.transition(agent, AgentState.NotReady);
    this.clock.setTimer(durationMs, () => {
      if (agent.state !== AgentState.NotReady) return;
      agent.readyAfterCall = false;
      this.transition(agent, AgentState.Ready);
    });
  }

  #logout(agent: SimAgent): void {
    if (agent.state === AgentState.Ready || agent.state === AgentState.NotReady) {
      agent.leaving = false;
      agent.announced = false;
      this.transition(agent, AgentState.LoggedOut);
    } else if (this.#busy(agent)) {
      agent.after = 'logout';
      agent.leaving = true;
    }
  }
}
