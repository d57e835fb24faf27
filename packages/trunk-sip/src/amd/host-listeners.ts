import type { Clock, TrunkEvent } from '@paceline/core';
import type { SipTrunkOptions } from '../sip-trunk-options';
import type { AmdListeners } from './amd-detector';

/** The port's `revised` event. */
export type RevisedEvent = Extract<TrunkEvent, { type: 'revised' }>;

/**
 * The AMD events of one call, passed on while the call is still up (`isUp`): a revision becomes
 * the port's `revised` event (`emit`, which the trunk orders after the call's `analysed`), and
 * both go to the host's `onBeep` / `onRevised` with the call's id and the clock's time. Host
 * callbacks are called as given; the trunk's audio handler contains what they throw.
 */
export function amdHostListeners(
  options: Pick<SipTrunkOptions, 'onBeep' | 'onRevised'>,
  clock: Clock,
  callId: string,
  isUp: () => boolean,
  emit: (event: RevisedEvent) => void,
): AmdListeners {
  return {
    onBeep: () => {
      if (isUp()) options.onBeep?.(callId, clock.now());
    },
    onRevised: (revision) => {
      if (!isUp()) return;
      const at = clock.now();
      emit({ type: 'revised', callId, at, reason: revision.reason });
      options.onRevised?.(callId, revision, at);
    },
  };
}
