/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The supervisor page (bundled for the browser with esbuild by server.ts): listen, whisper, barge.
import { Device } from 'mediasoup-client';
import type { Consumer, Transport } from 'mediasoup-client/types';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function api<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(out.error ?? res.statusText);
  return out;
}

type Source = 'caller' | 'agent';
let supervisorId = '';
let recvTransport: Transport | undefined;
let onCall: { callId: string; agentId: string; mode: string } | undefined;
/** What this page hears, by source: two consumers, two audio elements; the browser mixes them. */
const heard = new Map<Source, { consumer: Consumer; audio: HTMLAudioElement }>();

/** Inbound audio RTP packets of one source, from WebRTC `getStats()` (0 when not heard). */
async function packetsFrom(source: Source): Promise<number> {
  const consumer = heard.get(source)?.consumer;
  if (!consumer) return 0;
  let total = 0;
  (await consumer.getStats()).forEach((s: { type: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp') total += s.packetsReceived ?? 0;
  });
  return total;
}
(window as unknown as { supervisor: unknown }).supervisor = { packetsFrom, onCall: () => onCall };

function showError(error: unknown): void {
  $('error').textContent = error instanceof Error ? error.message : String(error);
}

function hear(source: Source, params: Parameters<Transport['consume']>[0]): Promise<void> | undefined {
  return recvTransport?.consume(params).then((consumer) => {
    const audio = new Audio();
    audio.srcObject = new MediaStream([consumer.track]);
    void audio.play().catch(() => {});
    heard.set(source, { consumer, audio });
  });
}

function stopHearing(): void {
  for (const { consumer, audio } of heard.values()) {
    consumer.close();
    audio.remove();
  }
  heard.clear();
}

function renderCalls(calls: { callId: string; agentId: string }[]): void {
  const body = $('calls');
  body.innerHTML = '';
  if (calls.length === 0) body.innerHTML = '<tr><td colspan="3" class="muted">no live calls</td></tr>';
  for (const call of calls) {
    const row = document.createElement('tr');
    row.dataset.callId = call.callId;
    row.innerHTML = `<td>${call.callId}</td><td>${call.agentId}</td><td></td>`;
    for (const mode of ['listen', 'whisper', 'barge']) {
      const button = document.createElement('button');
      button.textContent = mode;
      button.dataset.join = mode;
      button.addEventListener('click', () => void api('supervise', { supervisorId, callId: call.callId, mode }).catch(showError));
      row.lastElementChild?.append(button);
    }
    body.append(row);
  }
}

function renderMode(): void {
  $('on-call').hidden = !onCall;
  if (!onCall) return;
  $('on-call-id').textContent = onCall.callId;
  $('on-call-agent').textContent = onCall.agentId;
  $('mode').textContent = onCall.mode;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#on-call button[data-mode]'))
    b.setAttribute('aria-pressed', String(b.dataset.mode === onCall.mode));
}

async function login(): Promise<void> {
  supervisorId = $<HTMLInputElement>('supervisor-id').value.trim();
  const { routerRtpCapabilities } = await api<{ routerRtpCapabilities: never }>('supervisor-login', { supervisorId });
  const device = new Device();
  await device.load({ routerRtpCapabilities });
  const session = await api<{ send: never; recv: never }>('supervisor-session', { supervisorId, rtpCapabilities: device.rtpCapabilities });

  const sendTransport = device.createSendTransport(session.send);
  sendTransport.on('connect', ({ dtlsParameters }, ok, fail) => {
    api('supervisor-connect-transport', { supervisorId, transportId: sendTransport.id, dtlsParameters }).then(() => ok(), fail);
  });
  sendTransport.on('produce', ({ rtpParameters }, ok, fail) => {
    api<{ id: string }>('supervisor-produce', { supervisorId, rtpParameters }).then(ok, fail);
  });
  const recv = device.createRecvTransport(session.recv);
  recv.on('connect', ({ dtlsParameters }, ok, fail) => {
    api('supervisor-connect-transport', { supervisorId, transportId: recv.id, dtlsParameters }).then(() => ok(), fail);
  });
  recvTransport = recv;
  // The microphone, as G.711 like the agent's: whisper and barge need it; listen does not send it anywhere.
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const track = stream.getAudioTracks()[0];
  const codec = device.rtpCapabilities.codecs?.find((c) => /^audio\/pcm[ua]$/i.test(c.mimeType));
  if (track) await sendTransport.produce({ track, ...(codec ? { codec } : {}) });

  const events = new EventSource(`/api/supervisor-events?supervisorId=${encodeURIComponent(supervisorId)}`);
  events.addEventListener('calls', (e) => renderCalls(JSON.parse((e as MessageEvent).data)));
  events.addEventListener('supervising', (e) => {
    const s = JSON.parse((e as MessageEvent).data);
    stopHearing();
    onCall = { callId: s.callId, agentId: s.agentId, mode: s.mode };
    void hear('caller', s.fromCaller);
    if (s.fromAgent) void hear('agent', s.fromAgent);
    renderMode();
  });
  events.addEventListener('audit', (e) => {
    const a = JSON.parse((e as MessageEvent).data);
    const li = document.createElement('li');
    li.textContent = `${new Date(a.at).toISOString()} ${a.action} ${a.callId} (${a.agentId}) ${a.mode}${a.reason ? ` · ${a.reason}` : ''}`;
    $('audit').prepend(li);
    if (onCall && a.callId === onCall.callId && a.action !== 'leave') onCall.mode = a.mode;
    renderMode();
  });
  events.addEventListener('supervisionEnded', () => {
    stopHearing();
    onCall = undefined;
    renderMode();
  });

  $('login').hidden = true;
  $('floor').hidden = false;
  setInterval(() => {
    void Promise.all([packetsFrom('caller'), packetsFrom('agent')]).then(([caller, agent]) => {
      $('from-caller').textContent = String(caller);
      $('from-agent').textContent = String(agent);
    });
  }, 500);
}

$('login-btn').addEventListener('click', () => void login().catch(showError));
for (const button of document.querySelectorAll<HTMLButtonElement>('#on-call button[data-mode]')) {
  button.addEventListener('click', () => void api('supervise-mode', { supervisorId, mode: button.dataset.mode }).catch(showError));
}
$('leave-btn').addEventListener('click', () => void api('supervise-leave', { supervisorId }).catch(showError));
