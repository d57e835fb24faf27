/*
 * BullMQ refuses custom job ids that are integers ("7") or contain ':' (its key separator),
 * and queue names that contain ':'; its own generated ids are integers. Paceline's ids are
 * free text (`order:<attemptId>`), so the mapping is a reversible escape:
 *
 *   idempotency key  → '%' '%25', ':' '%3A', '#' '%23'; an integer-looking result gets '%N' in front
 *   generated id "7" ↔ Paceline id "#7"   (an escaped key never starts with '#')
 *
 * Escaped ids never contain ':' and never look like integers, and '%' only starts an escape,
 * so no two Paceline ids share a BullMQ id.
 */

const ESCAPES: Readonly<Record<string, string>> = { '%': '%25', ':': '%3A', '#': '%23' };
const UNESCAPES: Readonly<Record<string, string>> = { '%25': '%', '%3A': ':', '%23': '#' };
// One pass each way, so an escape's output is never read as another escape.
const escapeId = (text: string) => text.replace(/[%:#]/g, (c) => ESCAPES[c] ?? c);
const unescapeId = (text: string) => text.replace(/%(?:25|3A|23)/g, (e) => UNESCAPES[e] ?? e);
const INTEGER = /^\d+$/;
const GENERATED = /^#\d+$/;

/** The BullMQ job id for a Paceline job id (an idempotency key, or `#n` for a generated id). */
export function toBullJobId(id: string): string {
  if (GENERATED.test(id)) return id.slice(1);
  const escaped = escapeId(id);
  return `${Number.parseInt(escaped, 10)}` === escaped ? `%N${escaped}` : escaped;
}

/** The Paceline job id for a BullMQ job id. */
export function fromBullJobId(bullId: string): string {
  if (INTEGER.test(bullId)) return `#${bullId}`;
  return unescapeId(bullId.startsWith('%N') ? bullId.slice(2) : bullId);
}

/** The BullMQ queue name for a Paceline queue name. */
export function toBullQueueName(queue: string): string {
  return escapeId(queue);
}
