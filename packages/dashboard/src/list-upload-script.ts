/**
 * The upload card's script (served as `/assets/list-upload.js`): choosing a file sends its
 * first 256 kB for a preview (how it reads, the first rows, a suggested mapping), the manager
 * maps columns on that preview (by position, so two columns of one name can be told apart),
 * then the whole file streams up and the report shows every row error it lists. Text goes in
 * with `textContent` only.
 */
export const LIST_UPLOAD_JS = `'use strict';
(function () {
  const FIELDS = [['phones', 'Phone'], ['phones', 'Phone 2'], ['phones', 'Phone 3'], ['id', 'Contact id'], ['key', 'Customer key'],
    ['firstName', 'First name'], ['lastName', 'Last name'], ['postalCode', 'Postal code'], ['state', 'State'], ['country', 'Country'], ['timeZone', 'Time zone']];
  const PREVIEW_BYTES = 256 * 1024;

  function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }

  function table(head, rows) {
    const t = el('table');
    const h = t.insertRow(); head.forEach((x) => h.appendChild(el('th', x)));
    rows.forEach((r) => { const tr = t.insertRow(); r.forEach((x) => { tr.insertCell().textContent = x; }); });
    return t;
  }

  function describe(readAs) {
    if (!readAs) return '';
    if (readAs.format === 'xlsx') return 'XLSX' + (readAs.sheet ? ', sheet ' + readAs.sheet : ', first sheet');
    const enc = readAs.encoding ? readAs.encoding.encoding + (readAs.encoding.bom ? ' with BOM' : '') : 'utf-8';
    const d = readAs.delimiter === '\\t' ? 'tab' : readAs.delimiter;
    return 'CSV, ' + enc + ', delimiter ' + d;
  }

  function attach(node, campaignId, base, onError) {
    const form = node.querySelector('.upload-form');
    const mappingBox = node.querySelector('.upload-mapping');
    const previewBox = node.querySelector('.upload-preview');
    const report = node.querySelector('.import-report');
    const url = base + '/api/campaigns/' + encodeURIComponent(campaignId) + '/lists';
    let previewing = Promise.resolve(null);

    async function send(path, body, type, query) {
      const res = await fetch(path + (query || ''), { method: 'POST', credentials: 'same-origin', body,
        headers: { 'x-paceline-dashboard': '1', 'content-type': type, 'x-file-name': encodeURIComponent(form.elements.file.files[0].name) } });
      const json = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(json.error || ('HTTP ' + res.status));
      return json;
    }

    function showPreview(p) {
      previewBox.textContent = ''; mappingBox.textContent = '';
      previewBox.appendChild(el('p', 'Read as ' + describe(p.readAs) + '. First rows:'));
      previewBox.appendChild(table(p.header.map((h, i) => i + ': ' + h), p.rows.map((r) => p.header.map((_, i) => r[i] || ''))));
      p.problems.forEach((m) => previewBox.appendChild(el('p', m)));
      const phones = Array.isArray(p.suggested.phones) ? p.suggested.phones : [];
      let phoneSlot = 0;
      FIELDS.forEach(([field, label]) => {
        const wrap = el('label', label + ' ');
        const select = el('select'); select.dataset.field = field;
        select.appendChild(el('option', '—')).value = '';
        p.header.forEach((h, i) => { const o = el('option', i + ': ' + h); o.value = String(i); select.appendChild(o); });
        const pick = field === 'phones' ? phones[phoneSlot++] : p.suggested[field];
        if (pick !== undefined) select.value = String(pick);
        wrap.appendChild(select); mappingBox.appendChild(wrap);
      });
      return p;
    }

    function chosenMapping() {
      const selects = mappingBox.querySelectorAll('select');
      if (!selects.length) return undefined;
      const mapping = { phones: [] };
      selects.forEach((s) => {
        if (s.value === '') return;
        if (s.dataset.field === 'phones') mapping.phones.push(Number(s.value)); else mapping[s.dataset.field] = Number(s.value);
      });
      return mapping;
    }

    function showReport(name, r) {
      report.textContent = '';
      report.appendChild(el('p', name + ': ' + r.imported.toLocaleString('en-US') + ' imported, ' + r.rejected.toLocaleString('en-US') + ' rejected of ' + r.rowsRead.toLocaleString('en-US') + ' rows.'));
      if (r.readAs) report.appendChild(el('p', 'Read as ' + describe(r.readAs) + '.'));
      const reasons = Object.entries(r.rejectedByReason).filter((e) => e[1] > 0);
      if (reasons.length) report.appendChild(el('p', 'Rejected: ' + reasons.map((e) => e[0] + ' ' + e[1]).join(', ')));
      if (r.sample.length) {
        report.appendChild(el('p', r.sample.length < r.rejected ? 'The first ' + r.sample.length + ' row errors:' : 'Row errors:'));
        report.appendChild(table(['Row', 'Line', 'Reason', 'Detail'], r.sample.map((s) => [String(s.row), s.line === undefined ? '' : String(s.line), s.reason, s.message])));
      }
      if (r.warnings && r.warnings.length) {
        report.appendChild(el('p', 'Imported without these values:'));
        report.appendChild(table(['Row', 'Line', 'Reason', 'Detail'], r.warnings.map((s) => [String(s.row), String(s.line), s.reason, s.message])));
      }
    }

    form.elements.file.addEventListener('change', () => {
      const file = form.elements.file.files[0];
      report.textContent = ''; previewBox.textContent = ''; mappingBox.textContent = '';
      if (!file) return;
      previewBox.textContent = 'Reading the first rows…';
      previewing = send(url + '/preview', file.slice(0, PREVIEW_BYTES), 'application/octet-stream')
        .then(showPreview).catch((e) => { previewBox.textContent = ''; onError(e.message); return null; });
    });

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault(); onError('');
      const file = form.elements.file.files[0];
      if (!file) return;
      await previewing;
      report.textContent = 'Importing…';
      const mapping = chosenMapping();
      const query = mapping && mapping.phones.length ? '?mapping=' + encodeURIComponent(JSON.stringify(mapping)) : '';
      try {
        const r = await send(url, file, /\\.xlsx$/i.test(file.name) ? 'application/octet-stream' : 'text/csv', query);
        showReport(file.name, r.report);
      } catch (e) { report.textContent = ''; onError(e.message); }
    });
  }

  window.PacelineListUpload = { attach };
})();
`;
