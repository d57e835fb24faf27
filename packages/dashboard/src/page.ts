import { escapeHtml } from './escape-html';
import { INBOUND_PANEL_HTML } from './inbound-panel'; // issue-23

/**
 * The dashboard page. The markup is static; campaigns are filled in by `dashboard.js` from
 * the server-sent snapshots with `textContent` only, so nothing a contact list or campaign
 * name contains can become markup. No inline script or style: the CSP forbids them.
 */
export function dashboardPage(options: { title: string; base: string; uploads: boolean }): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(options.base)}/assets/dashboard.css">
<script src="${escapeHtml(options.base)}/assets/chart.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/dashboard.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/list-upload.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/inbound.js" defer></script>
</head><body data-base="${escapeHtml(options.base)}" data-uploads="${options.uploads ? '1' : '0'}">
<header><h1>${title}</h1><p id="connection" role="status" aria-live="polite">Connecting…</p></header>
${INBOUND_PANEL_HTML}
<main id="campaigns" aria-live="off"><p id="empty">No campaigns yet.</p></main>
<template id="campaign-template">
<section class="campaign" aria-labelledby="">
  <div class="head">
    <h2 data-f="name"></h2>
    <span class="state" data-f="state"></span>
    <div class="controls" role="group" aria-label="Campaign controls">
      <button type="button" data-action="start">Start</button>
      <button type="button" data-action="pause">Pause</button>
      <button type="button" data-action="resume">Resume</button>
      <button type="button" data-action="stop">Stop</button>
    </div>
  </div>
  <p class="error" role="alert" data-f="error"></p>
  <div class="grid">
    <div class="card"><h3>Progress</h3><dl>
      <dt>List penetration</dt><dd data-f="penetration"></dd>
      <dt>Hopper depth</dt><dd data-f="hopperDepth"></dd>
      <dt>Calls in flight</dt><dd data-f="callsInFlight"></dd>
      <dt>Dials</dt><dd data-f="dials"></dd>
      <dt>Live answers</dt><dd data-f="liveAnswers"></dd>
    </dl></div>
    <div class="card"><h3>Agents</h3><dl class="agents">
      <dt>Ready</dt><dd data-f="agents.ready"></dd>
      <dt>Reserved</dt><dd data-f="agents.reserved"></dd>
      <dt>On a call</dt><dd data-f="agents.on-call"></dd>
      <dt>Wrap-up</dt><dd data-f="agents.wrap-up"></dd>
      <dt>Not ready</dt><dd data-f="agents.not-ready"></dd>
    </dl></div>
    <div class="card"><h3>Pacing</h3><dl>
      <dt>Dial mode</dt><dd data-f="pacing.dialMode"></dd>
      <dt>Dial ratio (lines per agent)</dt><dd data-f="dialRatio"></dd>
      <dt>Latest decision</dt><dd data-f="decision"></dd>
      <dt>Why</dt><dd data-f="reason" class="reason"></dd>
    </dl></div>
    <div class="card"><h3>Results</h3><dl>
      <dt>Contact rate</dt><dd data-f="contactRate"></dd>
      <dt>Conversion</dt><dd data-f="conversion"></dd>
      <dt>Saves</dt><dd data-f="saves"></dd>
      <dt>Sales</dt><dd data-f="sales"></dd>
      <dt>Orders</dt><dd data-f="orders"></dd>
    </dl></div>
    <div class="card wide"><h3>Abandon rate against the cap</h3>
      <div class="gauges">
        <div class="gauge"><label>24 hours <meter min="0" max="0.05" low="0.02" high="0.03" optimum="0" data-m="rate24h"></meter></label>
          <span class="gauge-value" data-f="rate24h"></span></div>
        <div class="gauge"><label>30 days <meter min="0" max="0.05" low="0.02" high="0.03" optimum="0" data-m="rate30d"></meter></label>
          <span class="gauge-value" data-f="rate30d"></span></div>
        <p class="note">Target <span data-f="target"></span>, cap <span data-f="cap"></span>; the governor's window: <span data-f="governorRate"></span></p>
        <p class="note">People taken for answering machines (estimate): <span data-f="amdFalsePositives"></span></p>
      </div>
      <div class="chart"><canvas role="img" aria-label="Abandon rate over time, 24-hour and 30-day windows, with the cap"></canvas></div>
    </div>
    <div class="card"><h3>Settings</h3>
      <form class="pacing-form">
        <label>Abandon target (%) <input name="abandonTarget" type="number" min="0" max="3" step="0.1" required></label>
        <label>Max lines per agent <input name="maxLinesPerAgent" type="number" min="1" max="10" step="0.1" required></label>
        <button type="submit">Apply</button>
      </form>
    </div>
    <div class="card upload-card"><h3>Upload a list</h3>
      <form class="upload-form">
        <label>List file (CSV, TSV or XLSX) <input name="file" type="file" accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
        <div class="upload-preview"></div>
        <fieldset class="upload-mapping"><legend>Columns</legend></fieldset>
        <button type="submit">Upload</button>
      </form>
      <div class="import-report" role="status" aria-live="polite"></div>
    </div>
    <div class="card fulfilment-card" hidden><h3>Fulfilment</h3><dl>
      <dt>Orders per round</dt><dd data-f="ordersPerRound"></dd>
      <dt>Failed deliveries</dt><dd data-f="failures"></dd>
      <dt>Escalations</dt><dd data-f="escalations"></dd>
    </dl></div>
  </div>
</section>
</template>
</body></html>
`;
}

/** The dashboard's stylesheet: readable, high contrast, works without JavaScript colours. */
export const DASHBOARD_CSS = `
:root{--fg:#1d2433;--muted:#4b5565;--line:#d5dbe4;--ok:#15803d;--warn:#b45309;--bad:#b91c1c;--accent:#1d4ed8}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:var(--fg);background:#f6f7f9}
header{display:flex;align-items:baseline;gap:16px;padding:14px 24px;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0} #connection{margin:0;color:var(--muted)}
main{padding:16px 24px;max-width:1400px;margin:0 auto}
.campaign{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px;margin-bottom:20px}
.head{display:flex;flex-wrap:wrap;align-items:center;gap:12px} h2{margin:0;font-size:19px}
.state{padding:2px 10px;border-radius:999px;background:#e5e7eb;font-weight:600;text-transform:uppercase;font-size:12px;letter-spacing:.04em}
.state.running{background:#dcfce7;color:#14532d}.state.paused{background:#fef3c7;color:#78350f}.state.stopped,.state.completed{background:#e5e7eb}
.controls{margin-left:auto;display:flex;gap:6px}
button{font:inherit;padding:5px 12px;border:1px solid #9aa3b2;border-radius:6px;background:#fff;cursor:pointer}
button:hover:not(:disabled){background:#eef2ff} button:disabled{opacity:.45;cursor:default}
button:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:1px}
.error{color:var(--bad);margin:6px 0 0;min-height:1em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:14px;margin-top:10px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px} .wide{grid-column:1/-1;display:grid;grid-template-columns:300px 1fr;gap:16px}
.wide>h3{grid-column:1/-1}
h3{margin:0 0 8px;font-size:14px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
dl{display:grid;grid-template-columns:1fr auto;gap:3px 10px;margin:0} dt{color:var(--muted)} dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
dd.reason{grid-column:1/-1;text-align:left;font-weight:400;font-size:13px;color:var(--fg)}
.gauges{display:flex;flex-direction:column;gap:10px} .gauge label{display:flex;flex-direction:column;color:var(--muted)}
meter{width:100%;height:22px} .gauge-value{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums}
.gauge-value.over{color:var(--bad)} .gauge-value.near{color:var(--warn)} .gauge-value.ok{color:var(--ok)}
.note{color:var(--muted);font-size:13px;margin:0} .chart{position:relative;height:220px}
form{display:flex;flex-direction:column;gap:8px} label{display:flex;flex-direction:column;gap:2px}
input{font:inherit;padding:4px 6px;border:1px solid #9aa3b2;border-radius:6px}
.upload-preview,.upload-mapping{font-size:13px;overflow-x:auto} .upload-mapping{border:1px solid var(--line);border-radius:6px}
.upload-preview table{border-collapse:collapse} .upload-preview td,.upload-preview th{border-bottom:1px solid var(--line);padding:2px 4px;white-space:nowrap}
.import-report{margin-top:8px;font-size:13px} .import-report table{border-collapse:collapse;width:100%} .import-report td,.import-report th{border-bottom:1px solid var(--line);padding:2px 4px;text-align:left}
@media (max-width:700px){.wide{grid-template-columns:1fr}}
body[data-role=viewer] .controls,body[data-role=viewer] .pacing-form,body[data-role=viewer] .upload-card{display:none}
`;

/** The dashboard's script: server-sent events in, `textContent` out; controls call the JSON API. */
export const DASHBOARD_JS = `'use strict';
(function () {
  const base = document.body.dataset.base || '';
  const uploads = document.body.dataset.uploads === '1';
  const main = document.getElementById('campaigns');
  const template = document.getElementById('campaign-template');
  const connection = document.getElementById('connection');
  const views = new Map();
  const pct = (x, d) => (x * 100).toFixed(d === undefined ? 1 : d) + '%';
  const num = (x) => Number(x).toLocaleString('en-US');
  const time = (at) => new Date(at).toLocaleTimeString('en-GB', { hour12: false });
  const ACTIONS = { draft: ['start'], scheduled: ['pause', 'stop'], running: ['pause', 'stop'], paused: ['resume', 'stop'], stopped: [], completed: [] };

  function set(view, field, text) { const el = view.fields.get(field); if (el && el.textContent !== text) el.textContent = text; }

  async function call(path, init) {
    const res = await fetch(base + path, Object.assign({ credentials: 'same-origin' }, init, {
      headers: Object.assign({ 'x-paceline-dashboard': '1' }, (init && init.headers) || {}) }));
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
    return body;
  }

  function create(c) {
    const node = template.content.firstElementChild.cloneNode(true);
    const headingId = 'campaign-' + views.size;
    node.querySelector('h2').id = headingId;
    node.setAttribute('aria-labelledby', headingId);
    node.dataset.campaign = c.campaignId;
    const view = { node, fields: new Map(), meters: new Map(), chart: null, id: c.campaignId };
    node.querySelectorAll('[data-f]').forEach((el) => view.fields.set(el.dataset.f, el));
    node.querySelectorAll('[data-m]').forEach((el) => view.meters.set(el.dataset.m, el));
    const error = view.fields.get('error');
    node.querySelectorAll('[data-action]').forEach((button) => button.addEventListener('click', () => {
      error.textContent = '';
      call('/api/campaigns/' + encodeURIComponent(c.campaignId) + '/' + button.dataset.action, { method: 'POST' })
        .then((r) => render(r.campaigns)).catch((e) => { error.textContent = e.message; });
    }));
    const pacing = node.querySelector('.pacing-form');
    pacing.elements.abandonTarget.value = (c.pacing.abandonTarget * 100).toFixed(1);
    pacing.elements.maxLinesPerAgent.value = String(c.pacing.maxLinesPerAgent);
    pacing.addEventListener('submit', (ev) => {
      ev.preventDefault(); error.textContent = '';
      const body = { abandonTarget: Number(pacing.elements.abandonTarget.value) / 100, maxLinesPerAgent: Number(pacing.elements.maxLinesPerAgent.value) };
      call('/api/campaigns/' + encodeURIComponent(c.campaignId) + '/pacing', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then((r) => render(r.campaigns)).catch((e) => { error.textContent = e.message; });
    });
    // issue-18: the upload card (preview, column mapping, row errors) is list-upload.js.
    if (!uploads) node.querySelector('.upload-card').hidden = true;
    else if (window.PacelineListUpload) window.PacelineListUpload.attach(node, c.campaignId, base, (m) => { error.textContent = m; });
    document.getElementById('empty')?.remove();
    main.appendChild(node);
    views.set(c.campaignId, view);
    // The chart measures its canvas, so it is made once the section is in the document.
    const canvas = node.querySelector('canvas');
    if (window.Chart) {
      view.chart = new window.Chart(canvas, { type: 'line', data: { labels: [], datasets: [
        { label: '24 h %', data: [], borderColor: '#c2410c', pointRadius: 0 },
        { label: '30 days %', data: [], borderColor: '#1d4ed8', pointRadius: 0 },
        { label: 'cap %', data: [], borderColor: '#6b7280', borderDash: [6, 4], pointRadius: 0 }] },
        options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false }, scales: { y: { beginAtZero: true, suggestedMax: 4 } } } });
    }

    return view;
  }

  function render(campaigns) {
    for (const c of campaigns) {
      const v = views.get(c.campaignId) || create(c);
      set(v, 'name', c.name);
      const state = v.fields.get('state'); state.className = 'state ' + c.state; set(v, 'state', c.state);
      const allowed = ACTIONS[c.state] || [];
      v.node.querySelectorAll('[data-action]').forEach((b) => { b.disabled = !allowed.includes(b.dataset.action); });
      set(v, 'penetration', pct(c.penetration));
      set(v, 'hopperDepth', num(c.hopperDepth));
      set(v, 'callsInFlight', num(c.callsInFlight));
      set(v, 'dials', num(c.dials));
      set(v, 'liveAnswers', num(c.liveAnswers));
      for (const s of ['ready', 'reserved', 'on-call', 'wrap-up', 'not-ready']) set(v, 'agents.' + s, num(c.agents[s] || 0));
      set(v, 'pacing.dialMode', c.pacing.dialMode);
      set(v, 'dialRatio', c.dialRatio.toFixed(2));
      set(v, 'decision', c.lastDecision ? 'dial ' + c.lastDecision.launch + ' at ' + time(c.lastDecision.at) : '—');
      set(v, 'reason', c.held ? 'held since ' + time(c.held.since) + ': ' + c.held.messages.join('; ') : c.lastDecision ? c.lastDecision.reason : 'no decision yet');
      set(v, 'contactRate', pct(c.contactRate));
      set(v, 'conversion', pct(c.conversion));
      set(v, 'saves', num(c.saves)); set(v, 'sales', num(c.sales)); set(v, 'orders', num(c.orders));
      for (const k of ['rate24h', 'rate30d']) {
        const rate = c.abandon[k];
        set(v, k, pct(rate, 2));
        const el = v.fields.get(k); el.className = 'gauge-value ' + (rate >= c.abandon.cap ? 'over' : rate >= c.abandon.target * 0.8 ? 'near' : 'ok');
        const m = v.meters.get(k); m.value = Math.min(rate, 0.05); m.high = c.abandon.cap; m.low = c.abandon.target * 0.8;
        m.setAttribute('aria-valuetext', pct(rate, 2) + ' of a ' + pct(c.abandon.cap) + ' cap');
      }
      set(v, 'target', pct(c.abandon.target)); set(v, 'cap', pct(c.abandon.cap)); set(v, 'governorRate', pct(c.abandon.governorRate, 2));
      const amd = c.abandon.amdFalsePositives;
      set(v, 'amdFalsePositives', amd ? pct(amd.rate, 1) + (amd.countedInAbandonRate ? ', counted in the abandon rate the governor paces on' : ', not counted (profile)') + ' — ' + amd.explanation : '—');
      const ful = v.node.querySelector('.fulfilment-card');
      ful.hidden = !c.fulfilment;
      if (c.fulfilment) {
        set(v, 'ordersPerRound', Object.entries(c.fulfilment.ordersPerRound).map((e) => e[0] + ': ' + e[1]).join(', ') || '—');
        set(v, 'failures', num(c.fulfilment.failures)); set(v, 'escalations', num(c.fulfilment.escalations));
      }
      if (v.chart) {
        v.chart.data.labels = c.history.map((p) => time(p.at));
        v.chart.data.datasets[0].data = c.history.map((p) => p.rate24h * 100);
        v.chart.data.datasets[1].data = c.history.map((p) => p.rate30d * 100);
        v.chart.data.datasets[2].data = c.history.map(() => c.abandon.cap * 100);
        v.chart.update('none');
      }
      v.node.dataset.updatedAt = String(c.at);
    }
  }

  // The server enforces roles; the page only hides what a viewer cannot use.
  fetch(base + '/api/session', { credentials: 'same-origin' }).then((r) => r.json()).then((s) => { document.body.dataset.role = s.role || ''; }).catch(() => {});
  const events = new EventSource(base + '/events');
  events.addEventListener('snapshot', (ev) => {
    connection.textContent = 'Live · updated ' + new Date().toLocaleTimeString('en-GB', { hour12: false });
    render(JSON.parse(ev.data).campaigns);
  });
  events.addEventListener('error', () => { connection.textContent = 'Reconnecting…'; });
})();
`;
