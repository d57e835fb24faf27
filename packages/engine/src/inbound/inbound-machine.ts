import { defineStateMachine } from '@paceline/core';

/**
 * One inbound call, from the trunk's `incoming` to done, as a pure state machine in the style
 * of `call/call-machine.ts`: `stepInbound(snapshot, input)` returns the next snapshot and the
 * effects the inbound desk carries out. Nothing here waits, reads a clock or touches a port.
 *
 * ```
 *  incoming ──(accept: answer, queue)──► queued ◄──── overflow (another queue, same place)
 *     │ refuse / ended                    │  ▲  │
 *     ▼                      agent reserved│  │declined
 *   done                                  ▼  │  │ ended (caller hung up)
 *                                      offered ─┼──────────────► abandoned
 *                                          │ accepted             (counted apart from the
 *                                          ▼                       outbound abandon rate)
 *                                      connected ──ended──► wrap-up ──disposition──► done
 * ```
 * `abandoned` and `done` are final. A queued caller is never dropped by the engine: the caller
 * leaves (abandoned) or reaches an agent. Waiting time counts from the answer (the queue entry).
 */
export enum InboundPhase {
  /** Offered by the trunk, not answered yet: the desk matches the caller and picks a queue. */
  Incoming = 'incoming',
  /** Answered and waiting in a queue for an agent. */
  Queued = 'queued',
  /** An agent is reserved; the audio is being bridged. */
  Offered = 'offered',
  Connected = 'connected',
  /** The call ended; the agent owes its disposition. */
  WrapUp = 'wrap-up',
  /** The caller hung up in the queue (or while an agent was being bridged). */
  Abandoned = 'abandoned',
  Done = 'done',
}

const P = InboundPhase;

/** The inbound phases and their guarded transition (core's state-machine helper). */
export const inboundPhases = defineStateMachine<InboundPhase>('inbound call', {
  [P.Incoming]: [P.Queued, P.Done],
  [P.Queued]: [P.Offered, P.Abandoned],
  [P.Offered]: [P.Connected, P.Queued, P.Abandoned],
  [P.Connected]: [P.WrapUp],
  [P.WrapUp]: [P.Done],
  [P.Abandoned]: [],
  [P.Done]: [],
});

/** What the machine remembers of an inbound call. */
export interface InboundSnapshot {
  readonly phase: InboundPhase;
  /** When the trunk offered the call (epoch ms). */
  readonly arrivedAt: number;
  /** The queue the caller waits in (or was served from). */
  readonly queueId?: string;
  /** When the caller entered the first queue: waiting time (ASA, service level) counts from here. */
  readonly queuedAt?: number;
  /** The agent reserved for (offered), on (connected) or wrapping up the call. */
  readonly agentId?: string;
  readonly connectedAt?: number;
  readonly endedAt?: number;
}

/** What can happen to an inbound call. */
export type InboundInput =
  /** The desk chose a queue for the caller: answer and queue. */
  | { readonly type: 'accept'; readonly queueId: string; readonly at: number }
  /** No queue takes the call (or the desk is closing): refuse it at the network. */
  | { readonly type: 'refuse'; readonly at: number }
  /** The caller waited the queue's overflow time: move to `queueId`. */
  | { readonly type: 'overflow'; readonly queueId: string; readonly at: number }
  | { readonly type: 'agentReserved'; readonly agentId: string; readonly at: number }
  /** The reserved agent's audio is bridged. */
  | { readonly type: 'accepted'; readonly at: number }
  /** The reserved agent cannot take it (the audio failed to bridge, the agent logged out meanwhile). */
  | { readonly type: 'declined'; readonly at: number }
  /** The agent logged out during the call or its wrap-up. */
  | { readonly type: 'agentLeft'; readonly at: number }
  /** Either side hung up (or the caller gave up before the answer). */
  | { readonly type: 'ended'; readonly at: number }
  | { readonly type: 'disposition'; readonly code?: string; readonly at: number };

/** What the inbound desk carries out, in order. */
export type InboundEffect =
  | { readonly type: 'answer' }
  | { readonly type: 'reject' }
  /** The caller joined `queueId` (first time, or by overflow from `from`): start its messages and overflow timer. */
  | { readonly type: 'enqueue'; readonly queueId: string; readonly from?: string }
  /** The caller left its queue (served or gone): stop its timers. */
  | { readonly type: 'dequeue'; readonly queueId: string }
  | { readonly type: 'findAgent' }
  | { readonly type: 'bridge'; readonly agentId: string }
  | { readonly type: 'releaseAgent'; readonly agentId: string }
  | { readonly type: 'connected'; readonly agentId: string; readonly waitMs: number }
  /** A queue abandon: counted in the queue's figures, never in a campaign's abandon rate. */
  | { readonly type: 'abandoned'; readonly queueId: string; readonly waitMs: number }
  | { readonly type: 'hangup' }
  | { readonly type: 'agentToWrapUp'; readonly agentId: string }
  /** The engine dispositions the call for an agent who left. */
  | { readonly type: 'autoDisposition' }
  | { readonly type: 'finishDisposition'; readonly code?: string; readonly agentId?: string }
  | { readonly type: 'ended' };

/** The result of one step; `refused` says why an input does not apply (the snapshot is unchanged then). */
export interface InboundStep {
  readonly snapshot: InboundSnapshot;
  readonly effects: readonly InboundEffect[];
  readonly refused?: string;
}

/** A new inbound call, just offered by the trunk. */
export function incoming(at: number): InboundSnapshot {
  return { phase: P.Incoming, arrivedAt: at };
}

const refuse = (s: InboundSnapshot, input: InboundInput): InboundStep => ({
  snapshot: s,
  effects: [],
  refused: `inbound call in ${s.phase} takes no ${input.type}`,
});

function move(s: InboundSnapshot, phase: InboundPhase, effects: InboundEffect[], patch: Partial<InboundSnapshot> = {}): InboundStep {
  return { snapshot: { ...s, ...patch, phase: inboundPhases.transition(s.phase, phase) }, effects };
}

function withoutAgent(s: InboundSnapshot): InboundSnapshot {
  const { agentId: _agentId, ...rest } = s;
  return rest;
}

/** How long the caller has waited in queue at `at`, ms. */
export const waitedMs = (s: InboundSnapshot, at: number): number => Math.max(0, at - (s.queuedAt ?? at));

/** One step of an inbound call. Pure: the same snapshot and input always give the same result. */
export function stepInbound(s: InboundSnapshot, input: InboundInput): InboundStep {
  switch (s.phase) {
    case P.Incoming:
      if (input.type === 'accept') {
        return move(s, P.Queued, [{ type: 'answer' }, { type: 'enqueue', queueId: input.queueId }, { type: 'findAgent' }], {
          queueId: input.queueId,
          queuedAt: input.at,
        });
      }
      if (input.type === 'refuse') return move(s, P.Done, [{ type: 'reject' }], { endedAt: input.at });
      // The caller gave up while the desk was still matching it: never answered, nothing to count.
      if (input.type === 'ended') return move(s, P.Done, [{ type: 'ended' }], { endedAt: input.at });
      return refuse(s, input);
    case P.Queued: {
      const queueId = s.queueId ?? '';
      if (input.type === 'overflow') {
        if (input.queueId === queueId) return refuse(s, input);
        return {
          snapshot: { ...s, queueId: input.queueId },
          effects: [{ type: 'dequeue', queueId }, { type: 'enqueue', queueId: input.queueId, from: queueId }, { type: 'findAgent' }],
        };
      }
      if (input.type === 'agentReserved')
        return move(s, P.Offered, [{ type: 'bridge', agentId: input.agentId }], { agentId: input.agentId });
      if (input.type === 'ended') return abandon(s, input.at, []);
      return refuse(s, input);
    }
    case P.Offered: {
      const agentId = s.agentId ?? '';
      const queueId = s.queueId ?? '';
      if (input.type === 'accepted') {
        return move(
          s,
          P.Connected,
          [
            { type: 'dequeue', queueId },
            { type: 'connected', agentId, waitMs: waitedMs(s, input.at) },
          ],
          {
            connectedAt: input.at,
          },
        );
      }
      if (input.type === 'declined' || input.type === 'agentLeft') {
        return move(withoutAgent(s), P.Queued, [{ type: 'releaseAgent', agentId }, { type: 'findAgent' }]);
      }
      if (input.type === 'ended') return abandon(withoutAgent(s), input.at, [{ type: 'releaseAgent', agentId }]);
      return refuse(s, input);
    }
    case P.Connected:
      if (input.type === 'agentLeft' && s.agentId !== undefined) return { snapshot: withoutAgent(s), effects: [{ type: 'hangup' }] };
      if (input.type === 'ended') {
        const next: InboundEffect = s.agentId === undefined ? { type: 'autoDisposition' } : { type: 'agentToWrapUp', agentId: s.agentId };
        return move(s, P.WrapUp, [{ type: 'ended' }, next], { endedAt: input.at });
      }
      return refuse(s, input);
    case P.WrapUp:
      if (input.type === 'disposition') {
        return move(s, P.Done, [
          {
            type: 'finishDisposition',
            ...(input.code === undefined ? {} : { code: input.code }),
            ...(s.agentId === undefined ? {} : { agentId: s.agentId }),
          },
        ]);
      }
      if (input.type === 'agentLeft' && s.agentId !== undefined)
        return { snapshot: withoutAgent(s), effects: [{ type: 'autoDisposition' }] };
      return refuse(s, input);
    case P.Abandoned:
    case P.Done:
      return refuse(s, input);
  }
}

/** The caller hung up before an agent took the call: a queue abandon, counted apart. */
function abandon(s: InboundSnapshot, at: number, before: InboundEffect[]): InboundStep {
  const queueId = s.queueId ?? '';
  return move(
    s,
    P.Abandoned,
    [...before, { type: 'dequeue', queueId }, { type: 'abandoned', queueId, waitMs: waitedMs(s, at) }, { type: 'ended' }],
    { endedAt: at },
  );
}
