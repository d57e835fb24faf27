import { defineStateMachine } from './state-machine';

/**
 * Contact lifecycle within a campaign.
 *
 * ```
 *            ┌────────────── dnc ◄────────────── (any non-final state, and done)
 *            ▼
 *  ready ──► queued ──► dialing ──► waiting  (retry at T) ──► ready / queued
 *    ▲         │  │        ├──────► callback (callback at T) ──► queued
 *    └─────────┘  │        └──────► done
 *                 └──► waiting (the compliance gate refused it until T)
 * ```
 * `queued` means claimed from the hopper; `dnc → ready` only when a do-not-call entry is removed.
 * A callback can also be booked from outside a call (`ready`, `waiting`, `done` → `callback`),
 * e.g. after a failed delivery.
 */
export enum ContactState {
  Ready = 'ready',
  Queued = 'queued',
  Dialing = 'dialing',
  Waiting = 'waiting',
  Callback = 'callback',
  Done = 'done',
  Dnc = 'dnc',
}

const S = ContactState;

/** The contact lifecycle and its guarded transition. */
export const contactLifecycle = defineStateMachine<ContactState>('contact', {
  [S.Ready]: [S.Queued, S.Callback, S.Done, S.Dnc],
  [S.Queued]: [S.Dialing, S.Ready, S.Waiting, S.Done, S.Dnc],
  [S.Dialing]: [S.Waiting, S.Callback, S.Done, S.Dnc],
  [S.Waiting]: [S.Ready, S.Queued, S.Callback, S.Done, S.Dnc],
  [S.Callback]: [S.Queued, S.Ready, S.Done, S.Dnc],
  [S.Done]: [S.Callback, S.Dnc],
  [S.Dnc]: [S.Ready],
});
