import { KPI_DEFINITIONS, type KpiName, REFUSAL_REASONS } from '@paceline/engine';
import { apiCallScript } from './api-call-script';
import { escapeHtml } from './escape-html';
import { INBOUND_PANEL_HTML } from './inbound-panel'; // issue-23

/** A KPI's definition as a tooltip attribute (escaped). */
function tip(name: KpiName): string {
  return ` title="${escapeHtml(KPI_DEFINITIONS[name])}" tabindex="0"`;
}

/**
 * The dashboard page. The markup is static; campaigns are filled in by `dashboard.js` from
 * the server-sent snapshots with `textContent` only, so nothing a contact list or campaign
 * name contains can become markup. No inline script or style: the CSP forbids them.
 * Scripts whose globals `dashboard.js` reads when it renders a card (Chart.js, the upload
 * card's `PacelineListUpload`) come before it: deferred scripts run in document order, but the
 * browser runs other tasks (the first snapshot) while a later one is still downloading.
 */
export function dashboardPage(options: { title: string; base: string; uploads: boolean; mediaScript?: string }): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(options.base)}/assets/dashboard.css">
<script src="${escapeHtml(options.base)}/assets/chart.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/list-upload.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/dashboard.js" defer></script>
${options.mediaScript ? `<script src="${escapeHtml(options.mediaScript)}" defer></script>\n` : ''}<script src="${escapeHtml(options.base)}/assets/supervise.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/floor.js" defer></script>
<script src="${escapeHtml(options.base)}/assets/inbound.js" defer></script>
</head><body data-base="${escapeHtml(options.base)}" data-uploads="${options.uploads ? '1' : '0'}">
<header><h1>${title}</h1>
<nav aria-label="Views"><a href="#campaigns" data-view="campaigns">Campaigns</a> <a href="#agents" data-view="agents">Agents</a></nav>
<p id="connection" role="status" aria-live="polite">Connecting…</p></header>
<div id="alerts" class="alerts" role="alert" hidden></div>
<div id="supervising" class="supervising" role="status" aria-live="polite" hidden></div>
${INBOUND_PANEL_HTML}
<main id="campaigns" aria-live="off"><p id="empty">No campaigns yet.</p></main>
<main id="agents-view" hidden>
  <h2>Agents</h2>
  <p class="note">Live: state and time in it, the current call, and today's numbers. Click a column to sort, an agent for the day.</p>
  <table class="agents-table"><thead><tr>
    <th><button type="button" data-sort="agentId">Agent</button></th>
    <th><button type="button" data-sort="state">State</button></th>
    <th><button type="button" data-sort="timeInStateMs">In state</button></th>
    <th><button type="button" data-sort="campaignId">Campaign</button></th>
    <th><button type="button" data-sort="callId">Current call</button></th>
    <th><button type="button" data-sort="calls">Calls</button></th>
    <th${tip('talk')}><button type="button" data-sort="talkMs">Talk</button></th>
    <th><button type="button" data-sort="saves">Saves</button></th>
    <th><button type="button" data-sort="sales">Sales</button></th>
    <th${tip('conversion')}><button type="button" data-sort="conversion">Conversion</button></th>
    <th${tip('saveRate')}><button type="button" data-sort="saveRate">Save rate</button></th>
    <th${tip('aht')}><button type="button" data-sort="ahtMs">AHT</button></th>
    <th${tip('adherence')}><button type="button" data-sort="adherence">Adherence</button></th>
    <th${tip('supervise')}>Supervise</th>
  </tr></thead><tbody></tbody></table>
</main>
<main id="agent-day" hidden>
  <p><a href="#agents">← All agents</a></p>
  <h2 data-d="title">Agent</h2>
  <p class="supervise-day" data-d="supervise"></p>
  <dl class="day-summary"></dl>
  <div class="grid">
    <div class="card"><h3>Quality scorecard</h3><dl class="scorecard"></dl></div>
    <div class="card manager-only"><h3>Plan breaks</h3>
      <form class="breaks-form"><label>Break start (HH:MM, campaign time) <input name="start" pattern="[0-2][0-9]:[0-5][0-9]" required></label>
      <label>Minutes <input name="minutes" type="number" min="1" max="240" value="15" required></label>
      <button type="submit">Add break</button><p class="error" role="alert"></p></form></div>
  </div>
  <h3>Calls today</h3>
  <table class="calls-table"><thead><tr><th>Connected</th><th>Call</th><th>Campaign</th><th>Contact</th><th>Talk</th><th>Disposition</th><th>Score</th><th>Recording</th><th></th></tr></thead><tbody></tbody></table>
  <form class="score-form manager-only" hidden><h3>Score call <span data-d="scoreCall"></span></h3><div class="criteria"></div>
    <label>Notes <textarea name="notes" maxlength="4000" rows="3"></textarea></label>
    <label>Recording (URL or id) <input name="recording"></label>
    <button type="submit">Save score</button> <button type="button" data-cancel>Cancel</button><p class="error" role="alert"></p></form>
  <h3>Timeline (the latest 60 changes; all of them: GET /api/agents/:agentId)</h3>
  <table class="timeline-table"><thead><tr><th>From</th><th>To</th><th>State</th><th>Reason</th></tr></thead><tbody></tbody></table>
</main>
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
  <p class="why" role="status" data-f="why"></p>
  <p class="error" role="alert" data-f="error"></p>
  <div class="grid">
    <div class="card"><h3>Progress</h3><dl>
      <dt${tip('penetration')}>List penetration</dt><dd data-f="penetration"></dd>
      <dt${tip('hopperDepth')}>Hopper depth</dt><dd data-f="hopperDepth"></dd>
      <dt>Calls in flight</dt><dd data-f="callsInFlight"></dd>
      <dt>Dials</dt><dd data-f="dials"></dd>
      <dt${tip('contactRate')}>Live answers</dt><dd data-f="liveAnswers"></dd>
      <dt${tip('listEta')}>List runs out</dt><dd data-f="listEta"></dd>
    </dl></div>
    <div class="card"><h3>Agents</h3><dl class="agents">
      <dt${tip('agentsLine')}>Working of logged in</dt><dd data-f="agentsLine"></dd>
      <dt>Ready</dt><dd data-f="agents.ready"></dd>
      <dt>Reserved</dt><dd data-f="agents.reserved"></dd>
      <dt>On a call</dt><dd data-f="agents.on-call"></dd>
      <dt>Wrap-up</dt><dd data-f="agents.wrap-up"></dd>
      <dt>Not ready</dt><dd data-f="agents.not-ready"></dd>
    </dl></div>
    <div class="card"><h3>Pacing</h3><dl>
      <dt>Dial mode</dt><dd data-f="pacing.dialMode"></dd>
      <dt${tip('dialRatio')}>Dial ratio (lines per agent)</dt><dd data-f="dialRatio"></dd>
      <dt>Latest decision</dt><dd data-f="decision"></dd>
      <dt${tip('pacerWhy')}>Why</dt><dd data-f="reason" class="reason"></dd>
    </dl></div>
    <div class="card"><h3>Results</h3><dl>
      <dt${tip('contactRate')}>Contact rate</dt><dd data-f="contactRate"></dd>
      <dt${tip('conversion')}>Conversion</dt><dd data-f="conversion"></dd>
      <dt${tip('saveRate')}>Save rate</dt><dd data-f="saveRate"></dd>
      <dt>Saves</dt><dd data-f="saves"></dd>
      <dt>Sales</dt><dd data-f="sales"></dd>
      <dt>Orders</dt><dd data-f="orders"></dd>
    </dl></div>
    <div class="card wide"><h3>Abandon rate against the cap</h3>
      <div class="gauges">
        <div class="gauge"><label${tip('abandon30d')}>Today <meter min="0" max="0.05" low="0.02" high="0.03" optimum="0" data-m="rateToday"></meter></label>
          <span class="gauge-value" data-f="rateToday"></span></div>
        <div class="gauge"><label${tip('abandon24h')}>24 hours <meter min="0" max="0.05" low="0.02" high="0.03" optimum="0" data-m="rate24h"></meter></label>
          <span class="gauge-value" data-f="rate24h"></span></div>
        <div class="gauge"><label${tip('abandon30d')}>30 days <meter min="0" max="0.05" low="0.02" high="0.03" optimum="0" data-m="rate30d"></meter></label>
          <span class="gauge-value" data-f="rate30d"></span></div>
        <p class="note">Target <span data-f="target"></span>, cap <span data-f="cap"></span>; the governor's window: <span data-f="governorRate"></span></p>
        <p class="note">People taken for answering machines (estimate): <span data-f="amdFalsePositives"></span></p>
        <p class="law" data-f="lawSentence"></p>
      </div>
      <div class="chart"><canvas role="img" aria-label="Abandon rate over time in the campaign's local time: 24-hour and 30-day windows, with the target and the cap"></canvas></div>
    </div>
    <div class="card"><h3${tip('refusals')}>Compliance refusals today</h3><dl data-list="refusals"></dl></div>
    <div class="card"><h3>Dispositions today</h3><dl data-list="dispositions"></dl></div>
    <div class="card"><h3>Forecast and staffing plan</h3><dl>
      <dt>Dials in the last hour / forecast</dt><dd data-f="volume"></dd>
      <dt>Agents logged in / plan</dt><dd data-f="staffing"></dd></dl>
      <form class="plan-form manager-only">
        <label>Outbound dials per hour <input name="outboundPerHour" type="number" min="0" step="1"></label>
        <label>Inbound calls per hour <input name="inboundPerHour" type="number" min="0" step="1"></label>
        <label>Agents planned <input name="agents" type="number" min="0" step="1"></label>
        <button type="submit">Save plan</button>
      </form>
    </div>
    <div class="card"><h3>Quality scoring form</h3><dl data-list="criteria"></dl>
      <form class="form-editor manager-only">
        <label>Criteria, one a line: label, weight <textarea name="criteria" rows="4" placeholder="Greeting, 10&#10;Needs discovery, 30&#10;Offer explained, 40&#10;Compliance script, 20"></textarea></label>
        <button type="submit">Save form</button>
      </form>
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
  // Times are the campaign's local time (its home zone), as the chart's axis is.
  const time = (at, zone) => new Date(at).toLocaleTimeString('en-GB', { hour12: false, timeZone: zone });
  const REASONS = ${JSON.stringify(REFUSAL_REASONS)};
  const ACTIONS = { draft: ['start'], scheduled: ['pause', 'stop'], running: ['pause', 'stop'], paused: ['resume', 'stop'], stopped: [], completed: [] };

  function set(view, field, text) { const el = view.fields.get(field); if (el && el.textContent !== text) el.textContent = text; }

${apiCallScript({ json: false })}

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
      // x is epoch ms on a linear axis (points spaced by time), labelled in the campaign's own zone.
      const zoneTime = new Intl.DateTimeFormat('en-GB', { timeZone: c.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      const line = (label, color, dash) => ({ label, data: [], borderColor: color, borderDash: dash || [], pointRadius: 0, parsing: false });
      view.chart = new window.Chart(canvas, { type: 'line', data: { datasets: [
        line('24 h %', '#c2410c'), line('30 days %', '#1d4ed8'), line('target %', '#15803d', [2, 3]), line('cap %', '#6b7280', [6, 4])] },
        options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'nearest', axis: 'x', intersect: false },
          scales: { x: { type: 'linear', title: { display: true, text: 'time (' + c.timeZone + ')' }, ticks: { callback: (v) => zoneTime.format(v) } },
            y: { beginAtZero: true, suggestedMax: 4, title: { display: true, text: 'abandon rate %' } } },
          plugins: { tooltip: { callbacks: { title: (items) => items.length ? zoneTime.format(items[0].parsed.x) + ' ' + c.timeZone : '' } } } } });
    }
    const plan = node.querySelector('.plan-form');
    plan.addEventListener('submit', (ev) => {
      ev.preventDefault(); error.textContent = '';
      const body = {};
      for (const k of ['outboundPerHour', 'inboundPerHour', 'agents']) if (plan.elements[k].value !== '') body[k] = Number(plan.elements[k].value);
      call('/api/campaigns/' + encodeURIComponent(c.campaignId) + '/plan', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .catch((e) => { error.textContent = e.message; });
    });
    const editor = node.querySelector('.form-editor');
    editor.addEventListener('submit', (ev) => {
      ev.preventDefault(); error.textContent = '';
      const criteria = editor.elements.criteria.value.split('\\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const at = l.lastIndexOf(',');
        const label = (at < 0 ? l : l.slice(0, at)).trim();
        return { id: label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'criterion', label, weight: at < 0 ? NaN : Number(l.slice(at + 1)) };
      });
      call('/api/campaigns/' + encodeURIComponent(c.campaignId) + '/scoring-form', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ criteria }) })
        .then((r) => showForm(view, r.form)).catch((e) => { error.textContent = e.message; });
    });
    fetch(base + '/api/campaigns/' + encodeURIComponent(c.campaignId) + '/scoring-form', { credentials: 'same-origin' })
      .then((r) => r.json()).then((r) => showForm(view, r.form)).catch(() => {});
    return view;
  }

  function fillList(dl, entries, empty) {
    dl.replaceChildren();
    if (entries.length === 0) { const dd = document.createElement('dd'); dd.className = 'empty'; dd.textContent = empty; dl.appendChild(dd); return; }
    for (const [k, v, title] of entries) {
      const dt = document.createElement('dt'); dt.textContent = k; if (title) dt.title = title;
      const dd = document.createElement('dd'); dd.textContent = v; dl.append(dt, dd);
    }
  }

  function showForm(view, form) {
    const dl = view.node.querySelector('[data-list="criteria"]');
    fillList(dl, form ? form.criteria.map((x) => [x.label, 'weight ' + x.weight]) : [], 'No scoring form yet.');
    const editor = view.node.querySelector('.form-editor');
    if (form && !editor.elements.criteria.value) editor.elements.criteria.value = form.criteria.map((x) => x.label + ', ' + x.weight).join('\\n');
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
      set(v, 'decision', c.lastDecision ? 'dial ' + c.lastDecision.launch + ' at ' + time(c.lastDecision.at, c.timeZone) : '—');
      set(v, 'reason', c.held ? 'held since ' + time(c.held.since, c.timeZone) + ': ' + c.held.messages.join('; ') : c.pacerWhy || 'no decision yet');
      set(v, 'why', c.why.message);
      v.fields.get('why').className = 'why ' + (c.why.dialling ? 'dialling' : 'stopped');
      v.fields.get('why').dataset.code = c.why.code;
      set(v, 'agentsLine', num(c.agentsWorking) + ' of ' + num(c.agentsLoggedIn));
      const zoneTime = (at) => new Date(at).toLocaleTimeString('en-GB', { timeZone: c.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      set(v, 'listEta', c.listEta === undefined ? 'no pace yet' : c.listEta - c.at > 86400000 ? 'in ' + ((c.listEta - c.at) / 86400000).toFixed(1) + ' days' : zoneTime(c.listEta) + ' ' + c.timeZone);
      set(v, 'volume', num(c.dialsLastHour) + ' / ' + (c.plan.outboundPerHour === undefined ? '—' : num(c.plan.outboundPerHour)));
      set(v, 'staffing', num(c.agentsLoggedIn) + ' / ' + (c.plan.agents === undefined ? '—' : num(c.plan.agents)));
      set(v, 'lawSentence', c.abandon.lawSentence);
      fillList(v.node.querySelector('[data-list="refusals"]'), Object.entries(c.refusals).sort((x, y) => y[1] - x[1]).map(([k, n]) => [REASONS[k] || k, num(n), k]), 'None today.');
      fillList(v.node.querySelector('[data-list="dispositions"]'), Object.entries(c.dispositions).sort((x, y) => y[1] - x[1]).map(([k, n]) => [k, num(n)]), 'None yet today.');
      set(v, 'contactRate', pct(c.contactRate));
      set(v, 'conversion', pct(c.conversion));
      set(v, 'saveRate', pct(c.saveRate));
      set(v, 'saves', num(c.saves)); set(v, 'sales', num(c.sales)); set(v, 'orders', num(c.orders));
      for (const k of ['rateToday', 'rate24h', 'rate30d']) {
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
      if (v.chart && c.history.length > 0) {
        const h = c.history;
        const ds = v.chart.data.datasets;
        ds[0].data = h.map((p) => ({ x: p.at, y: p.rate24h * 100 }));
        ds[1].data = h.map((p) => ({ x: p.at, y: p.rate30d * 100 }));
        const ends = [h[0].at, h[h.length - 1].at];
        ds[2].data = ends.map((x) => ({ x, y: c.abandon.target * 100 }));
        ds[3].data = ends.map((x) => ({ x, y: c.abandon.cap * 100 }));
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
    const data = JSON.parse(ev.data);
    render(data.campaigns);
    // issue-24: the agents view and the alerts banner (floor.js) take the same snapshot.
    document.dispatchEvent(new CustomEvent('paceline:snapshot', { detail: data }));
  });
  events.addEventListener('error', () => { connection.textContent = 'Reconnecting…'; });
})();
`;
