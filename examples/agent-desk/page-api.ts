/// <reference lib="dom" />
// What the desk and supervisor pages share (bundled into each by server.ts's esbuild).

/** The page's element with this id. */
export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** POST `body` to the example server's `/api/<path>`; a non-2xx answer throws its `error`. */
export async function api<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(out.error ?? res.statusText);
  return out;
}
