import { apiCallScript } from './api-call-script';

/**
 * The floor's script (served as `/assets/floor.js`): the alerts banner, the sortable agents
 * view and an agent's day (timeline, calls, scorecard, scoring a call, planning breaks). It
 * takes the snapshots `dashboard.js` receives (a `paceline:snapshot` DOM event: one stream per
 * page) and fetches an agent's day from the JSON API. Text goes in with `textContent` only; a
 * recording link is made only for http(s) URLs.
 */
export const FLOOR_JS = `'use strict';
(function () {
  const base = document.body.dataset.base || '';
  const views = { campaigns: document.getElementById('campaigns'), agents: document.getElementById('agents-view'), day: document.getElementById('agent-day') };
  const alertsBox = document.getElementById('alerts');
  const agentsBody = document.querySelector('.agents-table tbody');
  let sortKey = 'agentId';
  let sortDir = 1;
  let last = null;
  let zone = 'UTC';
  let dayAgent = null;
  let dayFetchedAt = 0;
  let scoring = null;

  const pct = (x) => (x * 100).toFixed(1) + '%';
  const dur = (ms) => { const s = Math.round(ms / 1000); const h = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60);
    return (h > 0 ? h + 'h ' : '') + String(m).padStart(h > 0 ? 2 : 1, '0') + 'm ' + String(s % 60).padStart(2, '0') + 's'; };
  const clock = (at) => new Date(at).toLocaleTimeString('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  // The agent as the floor names it: "name (id)" (agentLabel in @paceline/engine).
  const label = (r) => (r.agentName && r.agentName !== r.agentId ? r.agentName + ' (' + r.agentId + ')' : r.agentId);
  const supervise = window.PacelineSupervise;
  function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

${apiCallScript({ json: true })}

  function show() {
    const hash = location.hash || '#campaigns';
    const m = /^#agent\\/(.+)$/.exec(hash);
    dayAgent = m ? decodeURIComponent(m[1]) : null;
    const current = dayAgent ? 'day' : hash === '#agents' ? 'agents' : 'campaigns';
    for (const [k, node] of Object.entries(views)) node.hidden = k !== current;
    document.querySelectorAll('nav a').forEach((a) => { if ((current === 'day' ? 'agents' : current) === a.dataset.view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current'); });
    document.body.dataset.view = current;
    if (dayAgent) { dayFetchedAt = 0; loadDay(); }
  }

  function renderAlerts(alerts) {
    alertsBox.hidden = alerts.length === 0;
    const ul = el('ul');
    for (const a of alerts) { const li = el('li', a.message + ' (since ' + clock(a.since) + ')', a.severity); li.dataset.kind = a.kind; ul.appendChild(li); }
    alertsBox.replaceChildren(el('strong', alerts.length + ' alert' + (alerts.length === 1 ? '' : 's') + ' on the floor'), ul);
  }

  function renderAgents(rows) {
    const sorted = rows.slice().sort((a, b) => {
      const x = a[sortKey] === undefined ? -Infinity : a[sortKey];
      const y = b[sortKey] === undefined ? -Infinity : b[sortKey];
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir || (a.agentId < b.agentId ? -1 : 1);
    });
    const trs = sorted.map((r) => {
      const tr = el('tr'); tr.dataset.agent = r.agentId; tr.dataset.state = r.state;
      const link = el('a', label(r)); link.href = '#agent/' + encodeURIComponent(r.agentId);
      const cells = [link, el('span', r.state + (r.reason ? ' (' + r.reason + ')' : ''), 'st ' + r.state), dur(r.timeInStateMs), r.campaignId || '—',
        r.callId ? r.callId + ' · contact ' + r.contactId : '—', String(r.calls), dur(r.talkMs), String(r.saves), String(r.sales), pct(r.conversion), pct(r.saveRate),
        r.calls ? dur(r.ahtMs) : '—', r.adherence === undefined ? '—' : pct(r.adherence) + (r.plannedBreaks ? '' : ' (no breaks planned)'),
        (supervise && supervise.buttons(r)) || '—'];
      cells.forEach((c, i) => { const td = tr.insertCell(); td.dataset.col = String(i); if (typeof c === 'string') td.textContent = c; else td.appendChild(c); });
      return tr;
    });
    agentsBody.replaceChildren(...trs);
    if (rows.length === 0) { const tr = el('tr'); const td = tr.insertCell(); td.colSpan = 14; td.textContent = 'No agent has logged in today.'; agentsBody.appendChild(tr); }
  }

  document.querySelectorAll('.agents-table [data-sort]').forEach((b) => b.addEventListener('click', () => {
    if (sortKey === b.dataset.sort) sortDir = -sortDir; else { sortKey = b.dataset.sort; sortDir = 1; }
    document.querySelectorAll('.agents-table th').forEach((th) => th.removeAttribute('aria-sort'));
    b.parentElement.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
    if (last) renderAgents(last.agents);
  }));

  function fill(dl, entries) { dl.replaceChildren(); for (const [k, v] of entries) dl.append(el('dt', k), el('dd', v)); }

  async function loadDay() {
    if (!dayAgent) return;
    dayFetchedAt = Date.now();
    const agentId = dayAgent;
    let body;
    try { body = await call('/api/agents/' + encodeURIComponent(agentId), { method: 'GET' }); }
    catch (e) { views.day.querySelector('[data-d="title"]').textContent = 'Agent ' + agentId + ': ' + e.message; return; }
    if (agentId !== dayAgent) return;
    const { day, scorecard } = body;
    const r = day.row;
    const sup = views.day.querySelector('[data-d="supervise"]');
    const buttons = supervise && supervise.buttons(r);
    if (buttons) sup.replaceChildren(el('span', 'Supervise ' + (r.callId || '') + ': '), buttons); else sup.replaceChildren();
    views.day.querySelector('[data-d="title"]').textContent = 'Agent ' + label(r) + ' — ' + r.state + ' for ' + dur(r.timeInStateMs);
    fill(views.day.querySelector('.day-summary'), [['Campaign', r.campaignId || '—'], ['Current call', r.callId || '—'], ['Calls today', String(r.calls)],
      ['Talk', dur(r.talkMs)], ['Wrap-up', dur(r.wrapMs)], ['Saves / sales', r.saves + ' / ' + r.sales], ['Conversion', pct(r.conversion)], ['Save rate', pct(r.saveRate)],
      ['AHT', r.calls ? dur(r.ahtMs) : '—'], ['Logged in', dur(r.loggedInMs)], ['Adherence', r.adherence === undefined ? '—' : pct(r.adherence)],
      ['Planned breaks', day.breaks.map((b) => clock(b.start) + '–' + clock(b.end) + (b.label ? ' ' + b.label : '')).join(', ') || 'none']]);
    fill(views.day.querySelector('.scorecard'), [['Calls scored', String(scorecard.scored)], ['Average score', scorecard.average === undefined ? '—' : scorecard.average.toFixed(1) + ' / 100']]
      .concat(Object.entries(scorecard.byCriterion).map(([k, v]) => [k, v.toFixed(1)])));
    const scores = new Map(scorecard.scores.map((s) => [s.callId, s]));
    const calls = views.day.querySelector('.calls-table tbody');
    calls.replaceChildren(...day.calls.slice().reverse().map((c) => {
      const tr = el('tr'); tr.dataset.call = c.callId;
      const s = scores.get(c.callId);
      const talk = c.endedAt ? dur(c.endedAt - c.connectedAt) : 'on the call';
      [clock(c.connectedAt), c.callId, c.campaignId, c.contactId, talk, c.disposition || '—', s ? s.total.toFixed(1) + (s.notes ? ' — ' + s.notes : '') : '—'].forEach((t) => { tr.insertCell().textContent = t; });
      const rec = tr.insertCell();
      if (s && s.recording) { if (/^https?:\\/\\//.test(s.recording)) { const a = el('a', 'listen'); a.href = s.recording; a.rel = 'noopener noreferrer'; a.target = '_blank'; rec.appendChild(a); } else rec.textContent = s.recording; }
      const act = tr.insertCell();
      const b = el('button', s ? 'Rescore' : 'Score', 'manager-only'); b.type = 'button'; b.addEventListener('click', () => openScore(c)); act.appendChild(b);
      return tr;
    }));
    const tl = views.day.querySelector('.timeline-table tbody');
    tl.replaceChildren(...day.timeline.slice(-60).reverse().map((seg) => {
      const tr = el('tr');
      [clock(seg.from), seg.to === undefined ? 'now' : clock(seg.to), seg.state, seg.reason || ''].forEach((t) => { tr.insertCell().textContent = t; });
      return tr;
    }));
  }

  async function openScore(c) {
    const form = views.day.querySelector('.score-form');
    const error = form.querySelector('.error');
    error.textContent = '';
    const box = form.querySelector('.criteria');
    box.replaceChildren();
    let scoring0;
    try { scoring0 = (await call('/api/campaigns/' + encodeURIComponent(c.campaignId) + '/scoring-form', { method: 'GET' })).form; }
    catch (e) { error.textContent = e.message; }
    if (!scoring0) { form.hidden = false; error.textContent = 'Campaign ' + c.campaignId + ' has no scoring form yet: set one on its campaign page.'; return; }
    scoring = { call: c, form: scoring0 };
    form.querySelector('[data-d="scoreCall"]').textContent = c.callId;
    for (const k of scoring0.criteria) {
      const label = el('label', k.label + ' (weight ' + k.weight + '), 0–100 ');
      const input = el('input'); input.type = 'number'; input.min = '0'; input.max = '100'; input.required = true; input.name = 'c-' + k.id; input.dataset.criterion = k.id;
      label.appendChild(input); box.appendChild(label);
    }
    form.hidden = false;
  }

  const scoreForm = views.day.querySelector('.score-form');
  scoreForm.querySelector('[data-cancel]').addEventListener('click', () => { scoreForm.hidden = true; scoring = null; });
  scoreForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const error = scoreForm.querySelector('.error');
    error.textContent = '';
    if (!scoring) return;
    const scores = {};
    scoreForm.querySelectorAll('[data-criterion]').forEach((i) => { scores[i.dataset.criterion] = Number(i.value); });
    const body = { campaignId: scoring.call.campaignId, agentId: dayAgent, scores, notes: scoreForm.elements.notes.value };
    if (scoreForm.elements.recording.value) body.recording = scoreForm.elements.recording.value;
    call('/api/calls/' + encodeURIComponent(scoring.call.callId) + '/score', { method: 'POST', body: JSON.stringify(body) })
      .then(() => { scoreForm.hidden = true; scoring = null; scoreForm.reset(); return loadDay(); })
      .catch((e) => { error.textContent = e.message; });
  });

  const breaksForm = views.day.querySelector('.breaks-form');
  breaksForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = breaksForm.querySelector('.error');
    error.textContent = '';
    try {
      const { day } = await call('/api/agents/' + encodeURIComponent(dayAgent), { method: 'GET' });
      // HH:MM today in the campaign's zone: find the instant whose local time it is (within today).
      const [h, m] = breaksForm.elements.start.value.split(':').map(Number);
      const now = last ? last.campaigns[0]?.at || Date.now() : Date.now();
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now).split(':').map(Number);
      const start = now + ((h * 60 + m) - (parts[0] * 60 + parts[1])) * 60000 - (now % 60000);
      const end = start + Number(breaksForm.elements.minutes.value) * 60000;
      const breaks = day.breaks.concat([{ start, end, label: 'break' }]);
      await call('/api/agents/' + encodeURIComponent(dayAgent) + '/breaks', { method: 'POST', body: JSON.stringify({ breaks }) });
      await loadDay();
    } catch (e) { error.textContent = e.message; }
  });

  document.addEventListener('paceline:snapshot', (ev) => {
    last = ev.detail;
    if (last.campaigns[0]) zone = last.campaigns[0].timeZone;
    renderAlerts(last.alerts || []);
    renderAgents(last.agents || []);
    if (dayAgent && Date.now() - dayFetchedAt > 2000) loadDay();
  });
  // A join, mode change or leave (supervise.js), or its roles arriving: redraw the buttons.
  for (const name of ['paceline:supervise-changed', 'paceline:supervise-ready']) document.addEventListener(name, () => { if (last) renderAgents(last.agents || []); if (dayAgent) loadDay(); });
  window.addEventListener('hashchange', show);
  show();
})();
`;
