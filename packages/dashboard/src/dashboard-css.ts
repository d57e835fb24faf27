/** The dashboard's stylesheet: readable, high contrast, works without JavaScript colours. */
export const DASHBOARD_CSS = `
:root{--fg:#1d2433;--muted:#4b5565;--line:#d5dbe4;--ok:#15803d;--warn:#b45309;--bad:#b91c1c;--accent:#1d4ed8}
*{box-sizing:border-box} [hidden]{display:none!important}
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
body[data-role=viewer] .controls,body[data-role=viewer] .pacing-form,body[data-role=viewer] .upload-card,body[data-role=viewer] .manager-only{display:none}
nav{display:flex;gap:12px} nav a{color:var(--accent);font-weight:600;text-decoration:none;padding:2px 8px;border-radius:6px} nav a[aria-current=page]{background:#e0e7ff}
.why{margin:8px 0 0;padding:8px 12px;border-radius:8px;font-weight:600} .why.dialling{background:#ecfdf5;color:#14532d} .why.stopped{background:#fff7ed;color:#7c2d12;border:1px solid #fdba74}
.law{font-size:13px;margin:0;padding:6px 8px;background:#f1f5f9;border-radius:6px}
.alerts{padding:8px 24px;background:#fef2f2;border-bottom:2px solid var(--bad)} .alerts ul{margin:0;padding-left:18px} .alerts li.warning{color:#7c2d12} .alerts li.critical{color:var(--bad);font-weight:700}
[title]{cursor:help} dt[title],th[title],h3[title],label[title]{text-decoration:underline dotted}
table.agents-table,table.calls-table,table.timeline-table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
.agents-table th,.agents-table td,.calls-table th,.calls-table td,.timeline-table th,.timeline-table td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;font-variant-numeric:tabular-nums}
.agents-table th button{border:0;background:none;padding:0;font-weight:700} .agents-table th[aria-sort=ascending] button::after{content:' ▲'} .agents-table th[aria-sort=descending] button::after{content:' ▼'}
.st{padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:#e5e7eb} .st.ready{background:#dcfce7} .st.on-call{background:#dbeafe} .st.wrap-up{background:#fef9c3} .st.not-ready{background:#fee2e2} .st.reserved{background:#ede9fe}
.day-summary{max-width:700px;margin-bottom:12px} textarea{font:inherit;padding:4px 6px;border:1px solid #9aa3b2;border-radius:6px} dd.empty{grid-column:1/-1;text-align:left;font-weight:400;color:var(--muted)}
.score-form{max-width:600px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;margin:12px 0}
.supervise{display:inline-flex;gap:4px} .supervise button{padding:2px 8px;font-size:13px} .supervise button[aria-pressed="true"]{background:#1d4ed8;color:#fff}
.supervising{margin:8px 24px;padding:8px 12px;border-radius:8px;background:#eef2ff;border:1px solid #c7d2fe;display:flex;gap:12px;align-items:center} .supervising.error{background:#fef2f2;border-color:#fecaca;color:var(--bad)}
`;
