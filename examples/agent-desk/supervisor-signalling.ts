import type { ServerResponse } from 'node:http';
import type { MediasoupBridge, SupervisionAuditEvent, SupervisionMode } from '@paceline/media-mediasoup';
import type { types as ms } from 'mediasoup';

/** One live call a supervisor can join. */
export interface LiveCall {
  readonly callId: string;
  readonly agentId: string;
}

/** The supervisor page's signalling: HTTP handlers, one event stream per supervisor, the live calls and the audit trail. */
export interface SupervisorSignalling {
  /** POST /api/<name> handlers (same style as the agent desk's). */
  readonly api: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown>;
  /** Attach a supervisor page's event stream. */
  attach(supervisorId: string, res: ServerResponse): () => void;
  /** Calls bridged to an agent now. */
  liveCalls(): LiveCall[];
  /** Every join, mode change and leave so far (the example's audit log; a host writes these to its own). */
  readonly audit: SupervisionAuditEvent[];
  close(): void;
}

/**
 * Signalling for `supervisor.html`: a supervisor logs in, opens a WebRTC session on the
 * bridge (like an agent's desk: a send and a receive transport), produces its microphone,
 * picks a live call and joins it in listen, whisper or barge (`bridge.supervision`).
 */
export function supervisorSignalling(bridge: MediasoupBridge): SupervisorSignalling {
  const calls = new Map<string, string>();
  const streams = new Map<string, ServerResponse>();
  const audit: SupervisionAuditEvent[] = [];
  const push = (supervisorId: string, event: string, data: unknown) =>
    streams.get(supervisorId)?.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const broadcast = () => {
    const live = liveCalls();
    for (const id of streams.keys()) push(id, 'calls', live);
  };
  const liveCalls = () => [...calls].map(([callId, agentId]) => ({ callId, agentId }));
  const offs = [
    bridge.on('bridged', (b) => {
      calls.set(b.callId, b.agentId);
      broadcast();
    }),
    bridge.on('unbridged', (b) => {
      calls.delete(b.callId);
      broadcast();
    }),
    bridge.on('supervising', (s) => push(s.supervisorId, 'supervising', s)),
    bridge.on('supervisionEnded', (s) => push(s.supervisorId, 'supervisionEnded', s)),
    bridge.on('supervisionAudit', (a) => {
      audit.push(a);
      push(a.supervisorId, 'audit', a);
    }),
  ];
  const id = (body: Record<string, unknown>) => String(body.supervisorId ?? '');
  const supervision = bridge.supervision;
  const api: SupervisorSignalling['api'] = {
    'supervisor-login': () => ({ routerRtpCapabilities: bridge.rtpCapabilities, calls: liveCalls() }),
    'supervisor-session': (body) => supervision.openSupervisor(id(body), { rtpCapabilities: body.rtpCapabilities as ms.RtpCapabilities }),
    'supervisor-connect-transport': (body) =>
      supervision.connectSupervisorTransport(id(body), String(body.transportId), body.dtlsParameters as ms.DtlsParameters).then(() => ({})),
    'supervisor-produce': async (body) => ({
      id: await supervision.produceSupervisorAudio(id(body), body.rtpParameters as ms.RtpParameters),
    }),
    supervise: (body) => supervision.supervise(String(body.callId), id(body), body.mode as SupervisionMode).then(() => ({})),
    'supervise-mode': (body) => supervision.setMode(id(body), body.mode as SupervisionMode).then(() => ({})),
    'supervise-leave': (body) => supervision.leave(id(body)).then(() => ({})),
    'supervisor-logout': (body) => supervision.closeSupervisor(id(body)).then(() => ({})),
  };
  return {
    api,
    attach: (supervisorId, res) => {
      streams.set(supervisorId, res);
      push(supervisorId, 'calls', liveCalls());
      return () => streams.get(supervisorId) === res && streams.delete(supervisorId);
    },
    liveCalls,
    audit,
    close: () => {
      for (const off of offs) off();
      for (const s of streams.values()) s.end();
    },
  };
}
