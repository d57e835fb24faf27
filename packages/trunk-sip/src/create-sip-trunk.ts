import { SipTrunkImpl } from './sip-trunk';
import type { SipTrunkOptions } from './sip-trunk-options';
import type { SipTrunk } from './sip-trunk-port';
import { validateSipTrunkOptions } from './validation';

/**
 * A `Trunk` over SIP (UDP, TCP or TLS) to one or more carrier trunks, with RTP media, answering
 * machine detection and WAV playback. Validates `options` (non-retryable `E_INVALID_INPUT`
 * naming the field) and opens its SIP sockets before resolving.
 */
export async function createSipTrunk(options: SipTrunkOptions): Promise<SipTrunk> {
  validateSipTrunkOptions(options);
  const trunk = new SipTrunkImpl(options);
  await trunk.start();
  return trunk;
}
