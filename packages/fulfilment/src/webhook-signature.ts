import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplayStore } from '@paceline/core';

/** Header carrying the signing time, epoch milliseconds as a decimal string. */
export const TIMESTAMP_HEADER = 'paceline-timestamp';
/**
 * Header carrying `v2=<hex HMAC-SHA256 of "<timestamp>.<event>.<body>">`; several
 * comma-separated while a secret is rotated. `v1` (which did not cover the event) is refused.
 */
export const SIGNATURE_HEADER = 'paceline-signature';
/** Header naming the event (`order.handed-off`, …); covered by the signature. */
export const EVENT_HEADER = 'paceline-event';
/** Header with a stable id per event, the same on every retry: receivers deduplicate on it. */
export const DELIVERY_HEADER = 'paceline-delivery';

/** Default tolerance between the signing time and the receiving time, ms (5 minutes). */
export const DEFAULT_TOLERANCE_MS = 300_000;

/** The event name a delivery result sent to {@link createFeedbackReceiver} is signed with. */
export const DELIVERY_RESULT_EVENT = 'delivery.result';

/** Request headers as Node (`IncomingHttpHeaders`) or fetch (`Headers`) give them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One secret, or the secrets valid during a rotation (each request needs a signature by one). */
export type WebhookSecrets = string | readonly string[];

/** The verdict of {@link verifyWebhook}: accepted (with the signed event name), or why not. */
export type WebhookVerdict =
  | { readonly ok: true; readonly timestamp: number; readonly event: string }
  | { readonly ok: false; readonly reason: 'missing-header' | 'malformed' | 'stale' | 'bad-signature' | 'replayed' };

const EVENT_NAME = /^[A-Za-z0-9._:-]{1,100}$/;

/** The HMAC-SHA256 of `<timestampMs>.<event>.<body>` under `secret`, hex (the `v2` scheme). */
export function computeSignature(secret: string, timestampMs: number, event: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestampMs}.${event}.`).update(body).digest('hex');
}

function secretList(secrets: WebhookSecrets): readonly string[] {
  return typeof secrets === 'string' ? [secrets] : secrets;
}

/**
 * The headers that sign `body` as `event` at `timestampMs` (add them to the request as they
 * are): the timestamp, the event name and one `v2` signature per secret (several while a
 * secret is rotated, so receivers on the old and the new secret both accept it).
 */
export function signWebhook(
  secrets: WebhookSecrets,
  body: string | Uint8Array,
  timestampMs: number,
  event: string,
): Record<string, string> {
  return {
    [TIMESTAMP_HEADER]: String(timestampMs),
    [EVENT_HEADER]: event,
    [SIGNATURE_HEADER]: secretList(secrets)
      .map((secret) => `v2=${computeSignature(secret, timestampMs, event, body)}`)
      .join(','),
  };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

/**
 * Verify a signed webhook request: the timestamp, event and signature headers present, the
 * timestamp within `toleranceMs` of `nowMs` (either side, for clock skew), a `v2` signature
 * over `<timestamp>.<event>.<body>` by one of `secrets` that matches in constant time, and a
 * request not accepted before: `replays` remembers each accepted request until its window
 * ends. Share one replay store between every node receiving the same webhook
 * (`createRedisReplayStore` in `@paceline/store-redis`); `createMemoryReplayStore` for one
 * node. Pass the raw body exactly as received: re-serialised JSON does not verify. A replay
 * store that cannot answer rejects the promise (fail closed).
 */
export async function verifyWebhook(
  secrets: WebhookSecrets,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  nowMs: number,
  toleranceMs: number,
  replays: ReplayStore,
): Promise<WebhookVerdict> {
  if (typeof replays?.remember !== 'function')
    throw new TypeError('verifyWebhook: a replay store is required (createMemoryReplayStore or createRedisReplayStore)');
  const rawTimestamp = header(headers, TIMESTAMP_HEADER);
  const rawSignature = header(headers, SIGNATURE_HEADER);
  const event = header(headers, EVENT_HEADER);
  if (rawTimestamp === undefined || rawSignature === undefined || event === undefined) return { ok: false, reason: 'missing-header' };
  if (!/^[0-9]{1,16}$/.test(rawTimestamp) || !EVENT_NAME.test(event)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(rawTimestamp);
  if (Math.abs(nowMs - timestamp) > toleranceMs) return { ok: false, reason: 'stale' };
  const candidates = rawSignature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v2='))
    .map((part) => part.slice(3));
  if (candidates.length === 0 || candidates.some((c) => !/^[0-9a-f]{64}$/i.test(c))) return { ok: false, reason: 'malformed' };
  const valid = secretList(secrets).some((secret) => {
    const expected = Buffer.from(computeSignature(secret, timestamp, event, body), 'hex');
    return candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  });
  if (!valid) return { ok: false, reason: 'bad-signature' };
  // Keyed on what was signed, not on the signature: re-sending it with another secret's
  // signature (during a rotation) is the same request. Only valid requests are remembered,
  // so forged ones cannot fill the store; each entry lives until the request would be stale.
  const key = createHash('sha256').update(`${timestamp}.${event}.`).update(body).digest('hex');
  if (!(await replays.remember(key, timestamp + toleranceMs + 1, nowMs))) return { ok: false, reason: 'replayed' };
  return { ok: true, timestamp, event };
}
