import { apiCallScript } from './api-call-script';

/**
 * The page's listen / whisper / barge buttons (served as `/assets/supervise.js`, loaded before
 * `floor.js`, which asks it for an agent's buttons). It reads `GET /api/supervision/calls` once
 * (`canSupervise`: only the roles the server lets join get buttons; the server refuses the rest
 * anyway) and drives the supervision routes. The WebRTC side is the host's media client — the
 * same browser module the agent-desk example's supervisor page uses — loaded from
 * `supervisionMedia.script` when the host gives one: `window.PacelineSupervisorMedia.open()`
 * opens the supervisor's media session (transports, microphone) and names it; the page then
 * joins that session to the agent's call. Without a media client the page names a session per
 * tab (for a host whose media plane opens it another way). Text goes in with `textContent` only.
 */
export const SUPERVISE_JS = `'use strict';
(function () {
  const base = document.body.dataset.base || '';
  const MODES = [['listen', 'Listen'], ['whisper', 'Whisper'], ['barge', 'Barge']];
  const state = { available: false, canSupervise: false, supervisorId: null, on: null, busy: false };
  const bar = document.getElementById('supervising');
  const tabId = 'dashboard-' + Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');

${apiCallScript({ json: true })}

  const ready = fetch(base + '/api/supervision/calls', { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : null))
    .then((body) => { if (body) { state.available = true; state.canSupervise = body.canSupervise === true; } })
    .catch(() => {})
    .then(() => document.dispatchEvent(new CustomEvent('paceline:supervise-ready')));

  /** The media session this page joins with: the host's media client opens it (WebRTC), once. */
  async function session() {
    if (state.supervisorId) return state.supervisorId;
    const media = window.PacelineSupervisorMedia;
    state.supervisorId = media ? (await media.open()).supervisorId : tabId;
    return state.supervisorId;
  }

  function show(message, error) {
    bar.hidden = !message;
    bar.className = 'supervising' + (error ? ' error' : '');
    bar.replaceChildren();
    if (!message) return;
    const text = document.createElement('span'); text.textContent = message; bar.appendChild(text);
    if (state.on && !error) {
      const leave = document.createElement('button'); leave.type = 'button'; leave.textContent = 'Leave'; leave.dataset.superviseLeave = '';
      leave.addEventListener('click', () => act(null, null, 'leave'));
      bar.appendChild(leave);
    }
  }

  async function act(row, mode, what) {
    if (state.busy) return;
    state.busy = true;
    try {
      const supervisorId = await session();
      if (what === 'leave') {
        await call('/api/supervision/leave', { method: 'POST', body: JSON.stringify({ supervisorId }) });
        state.on = null;
        show('');
      } else {
        if (state.on && state.on.callId === row.callId) await call('/api/supervision/mode', { method: 'POST', body: JSON.stringify({ supervisorId, mode }) });
        else {
          if (state.on) await call('/api/supervision/leave', { method: 'POST', body: JSON.stringify({ supervisorId }) });
          state.on = null;
          await call('/api/supervision/calls/' + encodeURIComponent(row.callId) + '/join', { method: 'POST', body: JSON.stringify({ supervisorId, mode }) });
        }
        state.on = { callId: row.callId, agentId: row.agentId, label: row.label, mode };
        show((mode === 'listen' ? 'Listening to ' : mode === 'whisper' ? 'Whispering to ' : 'Barged into ') + row.label + ' on call ' + row.callId + ' (audited)');
      }
    } catch (e) { show('Supervision: ' + e.message, true); }
    finally { state.busy = false; document.dispatchEvent(new CustomEvent('paceline:supervise-changed')); }
  }

  window.PacelineSupervise = {
    ready,
    /** Buttons for an agent's row when the agent is on a live call and this user may supervise; else null. */
    buttons(r) {
      if (!state.available || !state.canSupervise || !r.callId || r.state !== 'on-call') return null;
      const row = { callId: r.callId, agentId: r.agentId, label: r.agentName && r.agentName !== r.agentId ? r.agentName + ' (' + r.agentId + ')' : r.agentId };
      const group = document.createElement('span'); group.className = 'supervise'; group.setAttribute('role', 'group');
      group.setAttribute('aria-label', 'Supervise ' + row.label);
      for (const [mode, text] of MODES) {
        const b = document.createElement('button'); b.type = 'button'; b.textContent = text; b.dataset.supervise = mode;
        b.setAttribute('aria-pressed', String(!!state.on && state.on.callId === r.callId && state.on.mode === mode));
        b.addEventListener('click', () => act(row, mode, 'join'));
        group.appendChild(b);
      }
      return group;
    },
    /** The call this page supervises now, if any. */
    current: () => state.on,
  };
})();
`;
