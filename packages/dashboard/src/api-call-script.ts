/**
 * The browser scripts' one JSON API helper, `call(path, init)` (a fragment each script's
 * function body includes; `base` is the script's own): it sends the page's session cookie and
 * the `x-paceline-dashboard` header the server asks of every write (its CSRF check), and
 * answers the reply's JSON, or throws its `error` (else `HTTP <status>`). With `json`, the
 * request says `content-type: application/json` unless `init` names another; the dashboard's
 * own script leaves it out, as its bodiless POSTs (start, pause, …) must not claim a JSON body.
 */
export function apiCallScript(options: { readonly json: boolean }): string {
  const headers = options.json ? `{ 'x-paceline-dashboard': '1', 'content-type': 'application/json' }` : `{ 'x-paceline-dashboard': '1' }`;
  return `  async function call(path, init) {
    const res = await fetch(base + path, Object.assign({ credentials: 'same-origin' }, init, {
      headers: Object.assign(${headers}, (init && init.headers) || {}) }));
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
    return body;
  }`;
}
