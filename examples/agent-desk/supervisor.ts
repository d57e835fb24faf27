/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The supervisor page (bundled for the browser with esbuild by server.ts): listen, whisper, barge.

import { $, api } from './page-api';
import { openSupervisorMedia, type Source, type SupervisedCall, type SupervisorMedia } from './supervisor-media';

let supervisorId = '';
/** The media session (shared with the dashboard's buttons: supervisor-media.ts). */
let media: SupervisorMedia | undefined;
const packetsFrom = (source: Source) => media?.packetsFrom(source) ?? Promise.resolve(0);
const onCall = (): SupervisedCall | undefined => media?.onCall();
(window as unknown as { supervisor: unknown }).supervisor = { packetsFrom, onCall };

function showError(error: unknown): void {
  $('error').textContent = error instanceof Error ? error.message : String(error);
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
  const call = onCall();
  $('on-call').hidden = !call;
  if (!call) return;
  $('on-call-id').textContent = call.callId;
  $('on-call-agent').textContent = call.agentId;
  $('mode').textContent = call.mode;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#on-call button[data-mode]'))
    b.setAttribute('aria-pressed', String(b.dataset.mode === call.mode));
}

async function login(): Promise<void> {
  supervisorId = $<HTMLInputElement>('supervisor-id').value.trim();
  media = await openSupervisorMedia({
    supervisorId,
    signal: api,
    eventsUrl: `/api/supervisor-events?supervisorId=${encodeURIComponent(supervisorId)}`,
    onEvent: (name, data) => {
      if (name === 'calls') renderCalls(data as never);
      if (name === 'audit') {
        const a = data;
        const li = document.createElement('li');
        li.textContent = `${new Date(Number(a.at)).toISOString()} ${a.action} ${a.callId} (${a.agentId}) ${a.mode}${a.reason ? ` · ${a.reason}` : ''}`;
        $('audit').prepend(li);
      }
      renderMode();
    },
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
