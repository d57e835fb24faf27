/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The supervisor's media client, shared by the example's supervisor page (supervisor.ts) and the
// dashboard's listen / whisper / barge buttons (supervisor-media-global.ts): it opens the
// supervisor's WebRTC session on the bridge (like an agent's desk: a send and a receive
// transport), produces the microphone, and plays what the bridge hands it when it joins a call.
import { Device } from 'mediasoup-client';
import type { Consumer, Transport } from 'mediasoup-client/types';

/** Whom the supervisor hears: two consumers, two audio elements; the browser mixes them. */
export type Source = 'caller' | 'agent';

/** Where the call this session supervises stands. */
export interface SupervisedCall {
  readonly callId: string;
  readonly agentId: string;
  mode: string;
}

/** How the client reaches the media plane's signalling (the example's `supervisor-signalling.ts`). */
export interface SupervisorMediaOptions {
  readonly supervisorId: string;
  /** POST one signalling request (`supervisor-login`, `supervisor-session`, …) and return its JSON answer. */
  signal<T = Record<string, unknown>>(name: string, body: unknown): Promise<T>;
  /** The supervisor's event stream (`calls`, `supervising`, `audit`, `supervisionEnded`). */
  readonly eventsUrl: string;
  /** Every event of that stream, after the client has acted on it (for the page's own view). */
  onEvent?(name: 'calls' | 'supervising' | 'audit' | 'supervisionEnded', data: Record<string, unknown>): void;
}

/** An open supervisor session. */
export interface SupervisorMedia {
  readonly supervisorId: string;
  /** Inbound audio RTP packets of one source, from WebRTC `getStats()` (0 when not heard). */
  packetsFrom(source: Source): Promise<number>;
  /** The call being supervised now, if any. */
  onCall(): SupervisedCall | undefined;
  /** Stop the event stream and the transports (the bridge's `supervisor-logout` is the page's to send). */
  close(): void;
}

/** Open the supervisor's media session: Device, transports, microphone (G.711), event stream. */
export async function openSupervisorMedia(options: SupervisorMediaOptions): Promise<SupervisorMedia> {
  const { supervisorId, signal } = options;
  const heard = new Map<Source, { consumer: Consumer; audio: HTMLAudioElement }>();
  let onCall: SupervisedCall | undefined;

  const { routerRtpCapabilities } = await signal<{ routerRtpCapabilities: never }>('supervisor-login', { supervisorId });
  const device = new Device();
  await device.load({ routerRtpCapabilities });
  const session = await signal<{ send: never; recv: never }>('supervisor-session', {
    supervisorId,
    rtpCapabilities: device.rtpCapabilities,
  });

  const sendTransport = device.createSendTransport(session.send);
  sendTransport.on('connect', ({ dtlsParameters }, ok, fail) => {
    signal('supervisor-connect-transport', { supervisorId, transportId: sendTransport.id, dtlsParameters }).then(() => ok(), fail);
  });
  sendTransport.on('produce', ({ rtpParameters }, ok, fail) => {
    signal<{ id: string }>('supervisor-produce', { supervisorId, rtpParameters }).then(ok, fail);
  });
  const recvTransport: Transport = device.createRecvTransport(session.recv);
  recvTransport.on('connect', ({ dtlsParameters }, ok, fail) => {
    signal('supervisor-connect-transport', { supervisorId, transportId: recvTransport.id, dtlsParameters }).then(() => ok(), fail);
  });
  // The microphone, as G.711 like the agent's: whisper and barge need it; listen does not send it anywhere.
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const track = stream.getAudioTracks()[0];
  const codec = device.rtpCapabilities.codecs?.find((c) => /^audio\/pcm[ua]$/i.test(c.mimeType));
  if (track) await sendTransport.produce({ track, ...(codec ? { codec } : {}) });

  const hear = (source: Source, params: Parameters<Transport['consume']>[0]) =>
    recvTransport.consume(params).then((consumer) => {
      const audio = new Audio();
      audio.srcObject = new MediaStream([consumer.track]);
      void audio.play().catch(() => {});
      heard.set(source, { consumer, audio });
    });
  const stopHearing = () => {
    for (const { consumer, audio } of heard.values()) {
      consumer.close();
      audio.remove();
    }
    heard.clear();
  };

  const events = new EventSource(options.eventsUrl);
  const on = (name: 'calls' | 'supervising' | 'audit' | 'supervisionEnded', act: (data: Record<string, unknown>) => void) =>
    events.addEventListener(name, (e) => {
      const data = JSON.parse((e as MessageEvent).data) as Record<string, unknown>;
      act(data);
      options.onEvent?.(name, data);
    });
  on('calls', () => {});
  on('supervising', (s) => {
    stopHearing();
    onCall = { callId: String(s.callId), agentId: String(s.agentId), mode: String(s.mode) };
    void hear('caller', s.fromCaller as never);
    if (s.fromAgent) void hear('agent', s.fromAgent as never);
  });
  on('audit', (a) => {
    if (onCall && a.callId === onCall.callId && a.action !== 'leave') onCall.mode = String(a.mode);
  });
  on('supervisionEnded', () => {
    stopHearing();
    onCall = undefined;
  });

  // The bridge pushes `supervising` (what to consume) on this stream: it must be attached
  // before the session is handed out, or a join right away would go unheard.
  await new Promise<void>((resolve, reject) => {
    events.addEventListener('open', () => resolve(), { once: true });
    events.addEventListener(
      'error',
      () => events.readyState === EventSource.CLOSED && reject(new Error('supervisor event stream refused')),
      {
        once: true,
      },
    );
  });

  return {
    supervisorId,
    async packetsFrom(source) {
      const consumer = heard.get(source)?.consumer;
      if (!consumer) return 0;
      let total = 0;
      (await consumer.getStats()).forEach((s: { type: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp') total += s.packetsReceived ?? 0;
      });
      return total;
    },
    onCall: () => onCall,
    close() {
      events.close();
      stopHearing();
      sendTransport.close();
      recvTransport.close();
      for (const t of stream.getTracks()) t.stop();
    },
  };
}
