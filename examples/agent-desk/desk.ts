/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The agent desk page (bundled for the browser with esbuild by server.ts).
import { Device } from 'mediasoup-client';
import type { Consumer, Transport } from 'mediasoup-client/types';
import { $, api } from './page-api';

let agentId = '';
let recvTransport: Transport | undefined;
let currentCallId: string | undefined;
const consumers = new Map<string, Consumer>();
/** A supervisor's voice (whisper, barge), consumed beside the caller's; the browser mixes the two elements. */
const coaches = new Map<string, { consumer: Consumer; audio: HTMLAudioElement }>();

/** Inbound audio RTP packets received by this page, from WebRTC `getStats()`. */
async function inboundPackets(): Promise<number> {
  if (!recvTransport) return 0;
  let total = 0;
  (await recvTransport.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') total += s.packetsReceived ?? 0;
  });
  return total;
}
/** Inbound audio RTP packets of the supervisors' voices only (whisper, barge), from WebRTC `getStats()`. */
async function coachPackets(): Promise<number> {
  let total = 0;
  for (const { consumer } of coaches.values()) {
    (await consumer.getStats()).forEach((s: { type: string; packetsReceived?: number }) => {
      if (s.type === 'inbound-rtp') total += s.packetsReceived ?? 0;
    });
  }
  return total;
}
(window as unknown as { desk: unknown }).desk = { inboundPackets, coachPackets, coached: () => coaches.size, callId: () => currentCallId };

async function login(): Promise<void> {
  agentId = $<HTMLInputElement>('agent-id').value.trim();
  const name = document.querySelector<HTMLInputElement>('#agent-name')?.value.trim() || agentId;
  const { routerRtpCapabilities } = await api<{ routerRtpCapabilities: never }>('login', { agentId, name });
  const device = new Device();
  await device.load({ routerRtpCapabilities });
  const session = await api<{ send: never; recv: never }>('session', { agentId, rtpCapabilities: device.rtpCapabilities });

  const events = new EventSource(`/api/events?agentId=${encodeURIComponent(agentId)}`);
  events.addEventListener('agentState', (e) => {
    $('state').textContent = JSON.parse((e as MessageEvent).data).state;
  });
  events.addEventListener('offer', (e) => {
    const offer = JSON.parse((e as MessageEvent).data);
    currentCallId = offer.callId;
    $('call').hidden = false;
    $('contact-name').textContent = `${offer.contact.firstName ?? ''} (${offer.contact.id})`;
    // A number behind a switchboard: the agent asks for the contact's extension (issue-18).
    const dialled = offer.contact.phones.find((p: { number: string }) => p.number === offer.attempt.phone);
    const extension = dialled?.extension ? ` · ask for extension ${dialled.extension}` : '';
    $('contact-detail').textContent = `call ${offer.callId} · connected in ${offer.latencyMs} ms${extension}`;
    $<HTMLButtonElement>('hangup-btn').disabled = false;
    $('last-disposition').textContent = '';
  });
  events.addEventListener('script', (e) => {
    const s = JSON.parse((e as MessageEvent).data);
    const p = s.profile;
    if (p) $('contact-detail').textContent += ` · ${p.valueTier} customer, ${p.tenureMonths} months, ${p.lifecycleStage}`;
    $('script').innerHTML = '';
    for (const step of s.script.steps) {
      const li = document.createElement('li');
      li.textContent = `${step.id}: ${step.text ?? step.kind}`;
      $('script').append(li);
    }
    $('offers').innerHTML = '';
    for (const ranked of s.offers) {
      const li = document.createElement('li');
      li.textContent = `${ranked.offer.name} (${ranked.offer.kind})`;
      $('offers').append(li);
    }
  });
  events.addEventListener('bridged', async (e) => {
    const { consumer } = JSON.parse((e as MessageEvent).data);
    if (!recvTransport) return;
    const c = await recvTransport.consume(consumer);
    consumers.set(c.id, c);
    const audio = $<HTMLAudioElement>('remote-audio');
    audio.srcObject = new MediaStream([c.track]);
    void audio.play().catch(() => {});
  });
  events.addEventListener('unbridged', (e) => {
    const { consumerId } = JSON.parse((e as MessageEvent).data);
    consumers.get(consumerId)?.close();
    consumers.delete(consumerId);
  });
  events.addEventListener('coached', async (e) => {
    const { consumer, supervisorId } = JSON.parse((e as MessageEvent).data);
    if (!recvTransport) return;
    const c = await recvTransport.consume(consumer);
    const audio = new Audio();
    audio.srcObject = new MediaStream([c.track]);
    void audio.play().catch(() => {});
    coaches.set(c.id, { consumer: c, audio });
    $('coach').textContent = `supervisor ${supervisorId} is speaking to you`;
  });
  events.addEventListener('uncoached', (e) => {
    const { consumerId } = JSON.parse((e as MessageEvent).data);
    const coach = coaches.get(consumerId);
    coach?.consumer.close();
    coach?.audio.remove();
    coaches.delete(consumerId);
    if (coaches.size === 0) $('coach').textContent = '';
  });
  events.addEventListener('ended', () => {
    $<HTMLButtonElement>('hangup-btn').disabled = true;
  });
  events.addEventListener('dispositioned', (e) => {
    const d = JSON.parse((e as MessageEvent).data);
    $('last-disposition').textContent = `dispositioned ${d.callId}: ${d.code}`;
  });

  const sendTransport = device.createSendTransport(session.send);
  sendTransport.on('connect', ({ dtlsParameters }, ok, fail) => {
    api('connect-transport', { agentId, transportId: sendTransport.id, dtlsParameters }).then(() => ok(), fail);
  });
  sendTransport.on('produce', ({ rtpParameters }, ok, fail) => {
    api<{ id: string }>('produce', { agentId, rtpParameters }).then(ok, fail);
  });
  const recv = device.createRecvTransport(session.recv);
  recv.on('connect', ({ dtlsParameters }, ok, fail) => {
    api('connect-transport', { agentId, transportId: recv.id, dtlsParameters }).then(() => ok(), fail);
  });
  recvTransport = recv;

  // The microphone goes out as G.711, exactly what the trunk carries (no transcoding anywhere).
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const track = stream.getAudioTracks()[0];
  const codec = device.rtpCapabilities.codecs?.find((c) => /^audio\/pcm[ua]$/i.test(c.mimeType));
  if (track) await sendTransport.produce({ track, ...(codec ? { codec } : {}) });

  $('login').hidden = true;
  $('desk').hidden = false;
  setInterval(() => {
    void inboundPackets().then((n) => {
      $('packets').textContent = String(n);
    });
  }, 500);
}

$('login-btn').addEventListener('click', () => void login().catch((error) => alert(error)));
$('ready-btn').addEventListener('click', () => void api('ready', { agentId }));
$('hangup-btn').addEventListener('click', () => currentCallId && void api('hangup', { callId: currentCallId }));
for (const button of document.querySelectorAll<HTMLButtonElement>('#dispositions button')) {
  button.addEventListener('click', () => {
    if (currentCallId) void api('disposition', { callId: currentCallId, code: button.dataset.code });
  });
}
