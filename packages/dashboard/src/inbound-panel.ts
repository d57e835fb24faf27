import type { InboundApi, InboundStatus } from '@paceline/engine';

/**
 * issue-23: the dashboard's inbound panel — per queue: callers waiting, the longest wait, service
 * level against its target, ASA and queue abandons (apart from the outbound abandon rate), and
 * the blend's reserve. The page polls `GET <base>/api/inbound` each second; a dialer without
 * inbound shows nothing. Kept apart from the campaign view on purpose (one file, a few marked
 * lines in the plugin and page). issue-23 23-dist: in distributed mode the status carries the
 * pool's numbers (every node's calls of the UTC day, `q.pool`): the row says so and adds the
 * current half hour's service level; otherwise the node's own, as before.
 */
export function inboundStatusOf(dialer: object): InboundStatus | undefined {
  const inbound = (dialer as { inbound?: InboundApi }).inbound;
  return inbound?.status();
}

/** The panel's placeholder, shown by the script once the dialer reports inbound queues. */
export const INBOUND_PANEL_HTML = `<section id="inbound" aria-label="Inbound queues" hidden>
<h2>Inbound</h2>
<table><thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Longest wait</th><th scope="col">Service level</th><th scope="col">ASA</th><th scope="col">Answered</th><th scope="col">Queue abandons</th></tr></thead>
<tbody id="inbound-queues"></tbody></table>
<p id="inbound-blend"></p>
</section>`;

/** The panel's script (served as a file: the CSP forbids inline scripts). Text only: nothing from the server becomes markup. */
export const INBOUND_PANEL_JS = `'use strict';
(function () {
  const base = document.body.dataset.base || '';
  const panel = document.getElementById('inbound');
  const rows = document.getElementById('inbound-queues');
  const blend = document.getElementById('inbound-blend');
  if (!panel || !rows || !blend) return;
  const pct = (x) => (100 * x).toFixed(1) + '%';
  const secs = (ms) => (ms / 1000).toFixed(1) + ' s';
  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
  }
  function render(status) {
    panel.hidden = !status;
    if (!status) return;
    rows.replaceChildren();
    for (const q of status.queues) {
      const row = document.createElement('tr');
      row.dataset.queueId = q.queueId;
      cell(row, q.pool ? q.queueId + ' (all nodes)' : q.queueId); // issue-23 23-dist
      cell(row, String(q.waiting));
      cell(row, secs(q.longestWaitMs));
      cell(row, pct(q.serviceLevel) + ' (target ' + pct(q.target.fraction) + ' in ' + q.target.answerSeconds + ' s)' + (q.pool ? '; this half hour ' + pct(q.pool.interval.serviceLevel) : ''), q.serviceLevel >= q.target.fraction ? 'ok' : 'over');
      cell(row, secs(q.asaMs));
      cell(row, String(q.answered));
      cell(row, String(q.abandoned));
      rows.appendChild(row);
    }
    blend.textContent = status.blend
      ? 'Blend: ' + status.blend.reserve + ' agents kept free for inbound, ' + status.blend.hold + ' held from outbound; predicted service level ' + pct(status.blend.predictedServiceLevel)
      : '';
  }
  function poll() {
    fetch(base + '/api/inbound', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { inbound: null }))
      .then((r) => render(r.inbound))
      .catch(() => {})
      .finally(() => setTimeout(poll, 1000));
  }
  poll();
})();
`;
