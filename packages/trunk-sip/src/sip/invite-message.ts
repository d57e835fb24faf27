import { type OutgoingRequestMessage, URI } from 'sip.js/lib/core/index.js';
import type { TrunkLine } from '../call/trunk-line';
import { ALLOW, schemeOf } from './user-agent';

/** What varies between INVITEs. `to` and `callerId` must be validated E.164 (no header injection). */
export interface InviteParts {
  readonly to: string;
  readonly callerId: string;
  readonly sipCallId: string;
  /** The SDP offer (RFC 3264 5). */
  readonly sdp: string;
}

/** An INVITE for `line`: Request-URI and To the dialled number, From and P-Asserted-Identity the caller ID. */
export function buildInvite(line: TrunkLine, parts: InviteParts): OutgoingRequestMessage {
  const scheme = schemeOf(line.config);
  const domain = line.config.domain ?? line.config.host;
  return line.core.makeOutgoingRequestMessage(
    'INVITE',
    new URI(scheme, parts.to, domain, line.config.port),
    new URI(scheme, parts.callerId, domain),
    new URI(scheme, parts.to, domain),
    { callId: parts.sipCallId, fromDisplayName: parts.callerId },
    [
      `Contact: ${line.core.configuration.contact.toString()}`,
      // RFC 3325 9.1: the identity we assert to a trusted carrier; the From carries it too.
      `P-Asserted-Identity: <${scheme}:${parts.callerId}@${domain}>`,
      `Allow: ${ALLOW}`,
    ],
    { contentDisposition: 'session', contentType: 'application/sdp', content: parts.sdp },
  );
}
