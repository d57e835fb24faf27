import { type AmdRevisionReason, defineStateMachine, type Order } from '@paceline/core';
import type { DispositionData } from './agent-input';

/**
 * One call, from dial to done, as a pure state machine: `step(snapshot, input)` returns the
 * next snapshot and the effects the call runner carries out. Nothing here waits, reads a
 * clock or touches a port; time comes in with the inputs.
 *
 * ```
 *  dialing ──► ringing ──► analysing ──(machine: hang up)──────────────────────────┐
 *     │           │            │ human                                             │
 *     │           │            ▼            agent reserved                          │
 *     │           │         waiting ───────────────────► offered                   │
 *     │           │          ▲  │ 2 s deadline / ended     │  │ accepted           │
 *     │           │          │  ▼   connectFailed/deadline │  ▼                     │
 *     │           │          │ abandoned ◄─────────────────┘ connected ◄─┐ disposition│
 *     │           │          │  │ (message, hang up)  declined│   │ ended └─(hang up)│
 *     │           │          └──┼──────────────────◄──────────┘   ▼               │
 *     │           │             │                              wrap-up             │
 *     │           │             │ ended                           │ disposition    │
 *     ▼           ▼             ▼                                 ▼                ▼
 *   done ◄──────────────────── done ◄──────────────────────────  done ◄────────── done
 * ```
 * A disposition given while connected is kept (`pendingDisposition`): the call is hung up and
 * at its end it goes through wrap-up to done with the disposition carried out. An `ended` with
 * a `trunk-unavailable:` cause before the answer hands the contact back (`handBack`) instead of
 * recycling it: the carrier was never reached.
 *
 * issue-17: a `revised` input (call analysis found a machine after it said person: a late beep,
 * a greeting that ran on) takes a waiting, offered or connected call to `revised` when the
 * campaign hangs up on machines or leaves them a message: the deadline is cleared, the agent is
 * given back (an agent of this node already on the call is freed at once), the message plays
 * after the beep, the call is hung up, and at its end the contact is recycled on the outcome
 * `machine`; an agent of another node is freed by a pool message to its node (issue-17). With
 * `agent` handling the call stays where it is and is only counted. Either way the machine is
 * counted for calibration, once.
 *
 * Every call ends in `done` exactly once. A live answer (analysed human) is either connected
 * within {@link CONNECT_DEADLINE_MS} of the greeting's end or abandoned: with the safe-harbour
 * message when the deadline passes, without it when the caller hangs up first.
 */
export enum CallPhase {
  Dialing = 'dialing',
  Ringing = 'ringing',
  Analysing = 'analysing',
  /** A live answer with no agent yet; the 2-second deadline runs. */
  Waiting = 'waiting',
  /** An agent is reserved for the live answer (its audio is being bridged, or another node was asked). */
  Offered = 'offered',
  Connected = 'connected',
  /** The live answer was not connected in time: the message plays, the call is hung up. */
  Abandoned = 'abandoned',
  /** issue-17: a call taken for a person was a machine: its machine handling runs (message, hang up) until it ends. */
  Revised = 'revised',
  /** The call ended after it was connected; the agent owes its disposition. */
  WrapUp = 'wrap-up',
  Done = 'done',
}

/** DESIGN.md: a live answer must reach an agent within 2 s of the greeting's end. */
export const CONNECT_DEADLINE_MS = 2_000;

const P = CallPhase;

/** The call phases and their guarded transition (core's state-machine helper). */
export const callPhases = defineStateMachine<CallPhase>('call', {
  [P.Dialing]: [P.Ringing, P.Analysing, P.Done],
  [P.Ringing]: [P.Analysing, P.Done],
  [P.Analysing]: [P.Waiting, P.Done],
  [P.Waiting]: [P.Offered, P.Abandoned, P.Revised, P.Done],
  [P.Offered]: [P.Connected, P.Waiting, P.Abandoned, P.Revised, P.Done],
  [P.Connected]: [P.WrapUp, P.Revised],
  [P.Revised]: [P.Done],
  [P.Abandoned]: [P.Done],
  [P.WrapUp]: [P.Done],
  [P.Done]: [],
});

/** What the machine remembers of a call. */
export interface CallSnapshot {
  readonly phase: CallPhase;
  /** What the campaign does with an answering machine (`agent`: treat it as a person). */
  readonly machineHandling: 'hangup' | 'message' | 'agent';
  /** When the greeting ended (analysis done): the 2-second deadline counts from here. */
  readonly greetingEndedAt?: number;
  /** The agent reserved for (offered), on (connected) or wrapping up the call; `node` when it is another node's. */
  readonly agent?: { readonly id: string; readonly node?: string };
  /** The analysis said machine: the call is being hung up. */
  readonly machine?: boolean;
  /** The network outcome, once the call ended. */
  readonly outcome?: string;
  /** Preview mode: the agent who confirmed the dial; only that agent takes the live answer. */
  readonly previewAgentId?: string;
  /** The agent dispositioned the call before it ended: it is hung up, and the disposition is carried out when it has. */
  readonly pendingDisposition?: DispositionRequest;
  /** issue-17: call analysis revised the call to a machine after it was taken for a person. */
  readonly revised?: AmdRevisionReason;
}

/** An agent's disposition as the machine carries it to the `finishDisposition` effect, untouched. */
export interface DispositionRequest {
  readonly code?: string;
  readonly data?: DispositionData;
  /** A sale's order, built and checked before the disposition was taken. */
  readonly order?: Order;
}

/** What can happen to a call. */
export type CallInput =
  | { readonly type: 'ringing'; readonly at: number }
  | { readonly type: 'answered'; readonly at: number }
  | { readonly type: 'analysed'; readonly result: 'human' | 'machine' | 'unknown'; readonly greetingEndedAt: number; readonly at: number }
  /** The agent router reserved an agent (of this node, or of another: `node`). */
  | { readonly type: 'agentReserved'; readonly agentId: string; readonly node?: string; readonly at: number }
  /** The reserved agent is on the call (audio bridged, or the other node accepted). */
  | { readonly type: 'accepted'; readonly at: number }
  /** The reserved agent cannot take it (the other node declined the offer): look again while the deadline runs. */
  | { readonly type: 'declined'; readonly at: number }
  /** The reserved agent's audio could not be bridged: the live answer is abandoned at once (asking again would fail again). */
  | { readonly type: 'connectFailed'; readonly at: number }
  /** The 2-second deadline passed. */
  | { readonly type: 'deadline'; readonly at: number }
  /** The agent logged out or its node died. */
  | { readonly type: 'agentLeft'; readonly at: number }
  /** issue-17: call analysis found a machine after it said person (a late beep, a greeting that ran on). */
  | { readonly type: 'revised'; readonly reason: AmdRevisionReason; readonly at: number }
  /** The call ended; `cause` is the trunk's (a `trunk-unavailable:` cause: the carrier was never reached). */
  | { readonly type: 'ended'; readonly outcome: string; readonly cause?: string; readonly at: number }
  /** The agent (or the engine, for an agent that left) dispositioned the call; before it ended, it is hung up first. */
  | ({ readonly type: 'disposition'; readonly at: number } & DispositionRequest);

/** What the call runner carries out, in order. */
export type CallEffect =
  | { readonly type: 'findAgent' }
  | { readonly type: 'startDeadline'; readonly at: number }
  | { readonly type: 'clearDeadline' }
  | { readonly type: 'playMessage'; readonly message: 'safe-harbour' | 'machine-message' }
  | { readonly type: 'hangup' }
  /** Count the live answer in the abandon ledger (and the compliance record). */
  | { readonly type: 'liveAnswer'; readonly abandoned: boolean }
  | { readonly type: 'connected'; readonly agentId: string; readonly latencyMs: number }
  | { readonly type: 'abandoned'; readonly messagePlayed: boolean }
  /** Give the reserved agent back (withdraw the offer to another node). */
  | { readonly type: 'releaseAgent'; readonly agentId: string; readonly node?: string }
  | { readonly type: 'agentToWrapUp'; readonly agentId: string; readonly node?: string }
  /** Recycle the contact on the network outcome (no agent took the call). */
  | { readonly type: 'recycle'; readonly abandoned: boolean }
  /** The trunk never reached the carrier: the contact goes back to be dialled again, the attempt not charged to it. */
  | { readonly type: 'handBack' }
  /** The engine dispositions the call for an agent who left. */
  | { readonly type: 'autoDisposition' }
  | ({ readonly type: 'finishDisposition'; readonly agentId?: string; readonly node?: string } & DispositionRequest)
  | { readonly type: 'ended' }
  /**
   * issue-17: a call taken for a person was a machine: count it for calibration and say so;
   * `countedLive` when it had been counted as a live answer (connected) in the abandon ledger.
   */
  | { readonly type: 'machineFound'; readonly reason: AmdRevisionReason; readonly countedLive: boolean }
  /**
   * issue-17: the agent on a call revised to a machine is off it at once, ready for the next call
   * (`node`: another node's agent, freed by a pool message to that node).
   */
  | { readonly type: 'freeAgent'; readonly agentId: string; readonly node?: string; readonly reason: AmdRevisionReason };

/** The result of one step; `refused` says why an input does not apply (the snapshot is unchanged then). */
export interface CallStep {
  readonly snapshot: CallSnapshot;
  readonly effects: readonly CallEffect[];
  readonly refused?: string;
}

/** A new call, just originated (`previewAgentId`: the preview agent who confirmed it). */
export function dialing(machineHandling: CallSnapshot['machineHandling'], previewAgentId?: string): CallSnapshot {
  return { phase: P.Dialing, machineHandling, ...(previewAgentId === undefined ? {} : { previewAgentId }) };
}

/** A trunk failure: the call never reached the carrier (docs/trunks.md), so it is not the contact's attempt. */
export const isTrunkFailure = (outcome: string, cause: string | undefined): boolean =>
  outcome === 'failed' && cause !== undefined && cause.startsWith('trunk-unavailable:');

/** The request part of a disposition input or snapshot, without undefined fields. */
function requestOf(r: DispositionRequest): DispositionRequest {
  return {
    ...(r.code === undefined ? {} : { code: r.code }),
    ...(r.data === undefined ? {} : { data: r.data }),
    ...(r.order === undefined ? {} : { order: r.order }),
  };
}

const refuse = (snapshot: CallSnapshot, input: CallInput): CallStep => ({
  snapshot,
  effects: [],
  refused: `call in ${snapshot.phase} takes no ${input.type}`,
});

function move(snapshot: CallSnapshot, phase: CallPhase, effects: CallEffect[], patch: Partial<CallSnapshot> = {}): CallStep {
  const next = { ...snapshot, ...patch, phase: callPhases.transition(snapshot.phase, phase) };
  return { snapshot: next, effects };
}

function stay(snapshot: CallSnapshot, effects: CallEffect[], patch: Partial<CallSnapshot> = {}): CallStep {
  return { snapshot: { ...snapshot, ...patch }, effects };
}

/** The call's agent, without the snapshot's field (for the release effects). */
const agentOf = (s: CallSnapshot) =>
  s.agent ? { agentId: s.agent.id, ...(s.agent.node === undefined ? {} : { node: s.agent.node }) } : undefined;

/** Everything that is not kept of an agent when it is let go. */
function withoutAgent(s: CallSnapshot): CallSnapshot {
  const { agent: _agent, ...rest } = s;
  return rest;
}

/** The deadline of a live answer: 2 s after the greeting ended. */
export const deadlineOf = (s: CallSnapshot): number => (s.greetingEndedAt ?? 0) + CONNECT_DEADLINE_MS;

/** One step of a call. Pure: the same snapshot and input always give the same result. */
export function step(s: CallSnapshot, input: CallInput): CallStep {
  if (input.type === 'revised') return revise(s, input);
  switch (s.phase) {
    case P.Dialing:
    case P.Ringing:
      if (input.type === 'ringing' && s.phase === P.Dialing) return move(s, P.Ringing, []);
      if (input.type === 'answered') return move(s, P.Analysing, []);
      if (input.type === 'ended') {
        const after: CallEffect = isTrunkFailure(input.outcome, input.cause) ? { type: 'handBack' } : { type: 'recycle', abandoned: false };
        return move(s, P.Done, [{ type: 'ended' }, after], { outcome: input.outcome });
      }
      return refuse(s, input);
    case P.Analysing:
      if (input.type === 'analysed' && !s.machine && s.greetingEndedAt === undefined) {
        // An undecided analysis is treated as a person: hanging up on a human is worse.
        if (input.result === 'machine' && s.machineHandling !== 'agent') {
          const message: CallEffect[] = s.machineHandling === 'message' ? [{ type: 'playMessage', message: 'machine-message' }] : [];
          return stay(s, [...message, { type: 'hangup' }], { machine: true, greetingEndedAt: input.greetingEndedAt });
        }
        const deadline = input.greetingEndedAt + CONNECT_DEADLINE_MS;
        return move(s, P.Waiting, [{ type: 'startDeadline', at: deadline }, { type: 'findAgent' }], {
          greetingEndedAt: input.greetingEndedAt,
        });
      }
      if (input.type === 'ended')
        return move(s, P.Done, [{ type: 'ended' }, { type: 'recycle', abandoned: false }], { outcome: input.outcome });
      return refuse(s, input);
    case P.Waiting:
      if (input.type === 'agentReserved') {
        return move(s, P.Offered, [], { agent: { id: input.agentId, ...(input.node === undefined ? {} : { node: input.node }) } });
      }
      if (input.type === 'deadline') return abandon(s, []);
      if (input.type === 'ended') return callerGone(s, input.outcome, []);
      return refuse(s, input);
    case P.Offered: {
      const agent = agentOf(s);
      const release: CallEffect[] = agent ? [{ type: 'releaseAgent', ...agent }] : [];
      if (input.type === 'accepted') {
        // An acceptance later than the deadline (its timer not yet run: a loaded event loop, a slow
        // audio bridge) is not a connection within 2 s: it abandons, as the deadline would have.
        if (input.at > deadlineOf(s)) return abandon(withoutAgent(s), release);
        return move(s, P.Connected, [
          { type: 'clearDeadline' },
          { type: 'liveAnswer', abandoned: false },
          { type: 'connected', agentId: agent?.agentId ?? '', latencyMs: Math.max(0, input.at - (s.greetingEndedAt ?? input.at)) },
        ]);
      }
      if (input.type === 'declined' || input.type === 'agentLeft') {
        // Look again while the deadline still runs (a declined agent is not asked twice by the router).
        if (input.at >= deadlineOf(s)) return abandon(withoutAgent(s), release);
        return {
          snapshot: { ...withoutAgent(s), phase: callPhases.transition(s.phase, P.Waiting) },
          effects: [...release, { type: 'findAgent' }],
        };
      }
      if (input.type === 'deadline' || input.type === 'connectFailed') return abandon(withoutAgent(s), release);
      if (input.type === 'ended') return callerGone(withoutAgent(s), input.outcome, release);
      return refuse(s, input);
    }
    case P.Connected:
      if (input.type === 'agentLeft' && s.agent) return stay(withoutAgent(s), [{ type: 'hangup' }]);
      if (input.type === 'disposition' && !s.pendingDisposition) {
        // Dispositioned before the call ended: hang up; the disposition is carried out once it has.
        return stay(s, [{ type: 'hangup' }], { pendingDisposition: requestOf(input) });
      }
      if (input.type === 'ended') {
        const agent = agentOf(s);
        const ended: CallEffect[] = [{ type: 'ended' }];
        const pending = s.pendingDisposition;
        if (pending) {
          const { pendingDisposition: _pending, ...rest } = s;
          const wrapUp = move(rest, P.WrapUp, [], { outcome: input.outcome });
          const toWrapUp: CallEffect[] = agent ? [{ type: 'agentToWrapUp', ...agent }] : [];
          return move(wrapUp.snapshot, P.Done, [
            ...ended,
            ...toWrapUp,
            { type: 'finishDisposition', ...requestOf(pending), ...(agent ?? {}) },
          ]);
        }
        if (agent) return move(s, P.WrapUp, [...ended, { type: 'agentToWrapUp', ...agent }], { outcome: input.outcome });
        // The agent left during the call: the engine dispositions it.
        return move(s, P.WrapUp, [...ended, { type: 'autoDisposition' }], { outcome: input.outcome });
      }
      return refuse(s, input);
    case P.WrapUp:
      if (input.type === 'disposition') {
        const agent = agentOf(s);
        return move(s, P.Done, [{ type: 'finishDisposition', ...requestOf(input), ...(agent ?? {}) }]);
      }
      if (input.type === 'agentLeft' && s.agent) return stay(withoutAgent(s), [{ type: 'autoDisposition' }]);
      return refuse(s, input);
    case P.Revised:
      if (input.type === 'ended')
        return move(s, P.Done, [{ type: 'ended' }, { type: 'recycle', abandoned: false }], { outcome: input.outcome });
      return refuse(s, input);
    case P.Abandoned:
      if (input.type === 'ended')
        return move(s, P.Done, [{ type: 'ended' }, { type: 'recycle', abandoned: true }], { outcome: input.outcome });
      return refuse(s, input);
    case P.Done:
      return refuse(s, input);
  }
}

/**
 * issue-17: call analysis revised a call taken for a person to a machine. Only a live answer
 * still in progress (waiting, offered, connected and not already being hung up) is revised, once.
 */
function revise(s: CallSnapshot, input: Extract<CallInput, { type: 'revised' }>): CallStep {
  const live = s.phase === P.Waiting || s.phase === P.Offered || s.phase === P.Connected;
  if (!live || s.revised !== undefined || s.pendingDisposition !== undefined) return refuse(s, input);
  const found: CallEffect = { type: 'machineFound', reason: input.reason, countedLive: s.phase === P.Connected };
  const patch = { revised: input.reason };
  const agent = agentOf(s);
  // `agent` handling treats a machine as a person.
  if (s.machineHandling === 'agent') return stay(s, [found], patch);
  const handling: CallEffect[] = [
    ...(s.machineHandling === 'message' ? [{ type: 'playMessage', message: 'machine-message' } as const] : []),
    { type: 'hangup' },
  ];
  if (s.phase === P.Connected) {
    const free: CallEffect[] = agent ? [{ type: 'freeAgent', ...agent, reason: input.reason }] : [];
    return move(withoutAgent(s), P.Revised, [found, ...free, ...handling], { ...patch, machine: true });
  }
  const release: CallEffect[] = agent ? [{ type: 'releaseAgent', ...agent }] : [];
  return move(withoutAgent(s), P.Revised, [found, ...release, { type: 'clearDeadline' }, ...handling], { ...patch, machine: true });
}

/** The deadline passed with no agent on the call: the safe-harbour message, counted, hung up. */
function abandon(s: CallSnapshot, before: CallEffect[]): CallStep {
  return move(s, P.Abandoned, [
    ...before,
    { type: 'clearDeadline' },
    { type: 'playMessage', message: 'safe-harbour' },
    { type: 'liveAnswer', abandoned: true },
    { type: 'abandoned', messagePlayed: true },
    { type: 'hangup' },
  ]);
}

/** The caller hung up before an agent took the live answer: abandoned (no message: nobody to hear it) and done. */
function callerGone(s: CallSnapshot, outcome: string, before: CallEffect[]): CallStep {
  return move(
    s,
    P.Done,
    [
      ...before,
      { type: 'clearDeadline' },
      { type: 'liveAnswer', abandoned: true },
      { type: 'abandoned', messagePlayed: false },
      { type: 'ended' },
      { type: 'recycle', abandoned: true },
    ],
    { outcome },
  );
}
