import type { Clock } from '@paceline/core';
import type { SipTrunkOptions } from '../sip-trunk-options';
import type { AmdListeners } from './amd-detector';

/**
 * The AMD events of one call, passed on to the host's `onBeep` / `onRevised` with the call's id
 * and the clock's time, while the call is still up (`isUp`). Host callbacks are called as given;
 * the trunk's audio handler contains what they throw.
 */
export function amdHostListeners(
  options: Pick<SipTrunkOptions, 'onBeep' | 'onRevised'>,
  clock: Clock,
  callId: string,
  isUp: () => boolean,
): AmdListeners {
  return {
    onBeep: () => {
      if (isUp()) options.onBeep?.(callId, clock.now());
    },
    onRevised: (revision) => {
      if (isUp()) options.onRevised?.(callId, revision, clock.now());
    },
  };
}
