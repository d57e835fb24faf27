import type { InboundMemberPart } from '../engine-core';
import type { InboundApi, InboundDispositionData } from './inbound-api';

/**
 * issue-23: `dialer.inbound` in distributed mode: this node's inbound desk, plus the inbound
 * calls other nodes lead with an agent of this node on them — the agent's hang-up, disposition
 * and do-not-call request on such a call are forwarded to the node that holds it.
 */
export function pooledInboundApi(desk: InboundApi, member: InboundMemberPart): InboundApi {
  const elsewhere = (callId: string) => !desk.has(callId) && member.has(callId);
  return {
    status: () => desk.status(),
    numbers: () => desk.numbers(),
    has: (callId) => desk.has(callId) || member.has(callId),
    hangup: (callId) => (elsewhere(callId) ? member.forward(callId, { method: 'hangup' }) : desk.hangup(callId)),
    disposition: (callId, code, data: InboundDispositionData = {}) =>
      elsewhere(callId) ? member.forward(callId, { method: 'disposition', code, data: { ...data } }) : desk.disposition(callId, code, data),
    requestDnc: (callId) => (elsewhere(callId) ? member.forward(callId, { method: 'dnc' }) : desk.requestDnc(callId)),
  };
}
