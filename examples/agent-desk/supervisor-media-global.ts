/// <reference lib="dom" />
// The dashboard's media client (bundled by server.ts as `/supervisor-media.js` and given to the
// dashboard as `supervisionMedia: { script }`): the same supervisor media module as the example's
// supervisor page, behind `window.PacelineSupervisorMedia`, which the dashboard's supervise.js
// calls once before its first join. Signalling is this server's `/api/supervisor-*` (same origin).
import { openSupervisorMedia, type Source, type SupervisorMedia } from './supervisor-media';

async function signal<T>(name: string, body: unknown): Promise<T> {
  const res = await fetch(`/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(out.error ?? res.statusText);
  return out;
}

let opening: Promise<SupervisorMedia> | undefined;

(window as unknown as { PacelineSupervisorMedia: unknown }).PacelineSupervisorMedia = {
  /** Open this tab's media session once; every later call returns the same one. */
  open(): Promise<SupervisorMedia> {
    if (!opening) {
      const supervisorId = `dashboard-${Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
      opening = openSupervisorMedia({
        supervisorId,
        signal,
        eventsUrl: `/api/supervisor-events?supervisorId=${encodeURIComponent(supervisorId)}`,
      });
      opening.catch(() => {
        opening = undefined;
      });
    }
    return opening;
  },
  /** Packets heard from one side (0 before a join): what the tests read. */
  packetsFrom: (source: Source) => (opening ? opening.then((m) => m.packetsFrom(source)) : Promise.resolve(0)),
};
