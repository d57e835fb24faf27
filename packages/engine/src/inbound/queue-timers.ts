import type { InboundQueue, TimerHandle } from '@paceline/core';
import type { EngineCore } from '../engine-core';

/** What a waiting caller's queue timers need to know of the call. */
export interface WaitingCall {
  readonly callId: string;
  readonly timers: TimerHandle[];
  /** True while the caller still waits in queue `queueId`. */
  waitingIn(queueId: string): boolean;
}

/**
 * Start a waiting caller's timers for `queue` (clearing earlier ones): its messages while
 * waiting (after `afterSeconds`, then every `everySeconds`), and the overflow to another queue.
 */
export function startQueueTimers(core: EngineCore, call: WaitingCall, queue: InboundQueue, overflowTo: (queueId: string) => void): void {
  clearQueueTimers(core, call);
  const { clock } = core.deps;
  for (const message of queue.messages) {
    const play = () => {
      if (!call.waitingIn(queue.id)) return;
      if (message.everySeconds !== undefined) call.timers.push(clock.setTimer(message.everySeconds * 1000, play));
      core.guard(`inbound message ${call.callId}`, playToCaller(core, call.callId, message.messageId));
    };
    call.timers.push(clock.setTimer(message.afterSeconds * 1000, play));
  }
  const { overflow } = queue;
  if (overflow) call.timers.push(clock.setTimer(overflow.afterSeconds * 1000, () => overflowTo(overflow.queueId)));
}

/** Stop a call's queue timers. */
export function clearQueueTimers(core: EngineCore, call: { readonly timers: TimerHandle[] }): void {
  for (const timer of call.timers.splice(0)) core.deps.clock.clearTimer(timer);
}

/** Play a message to a waiting caller: through the media bridge when it can, else the trunk. */
async function playToCaller(core: EngineCore, callId: string, messageId: string): Promise<void> {
  const media = core.deps.media;
  if (media?.playToCaller) await media.playToCaller(callId, messageId);
  else await core.deps.trunk.playMessage(callId, messageId);
}
