import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplayCache } from './replay-cache';

/** Header carrying the signing time, epoch milliseconds as a decimal string. */
export const TIMESTAMP_HEADER = 'paceline-timestamp';
/** Header carrying `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`; several comma-separated during a secret rotation. */
export const SIGNATURE_HEADER = 'paceline-signature';
/** Header naming the event (`order.handed-off`, …). */
export const EVENT_HEADER = 'paceline-event';
/** Header with a stable id per event, the same on every retry: receivers deduplicate on it. */
export const DELIVERY_HEADER = 'paceline-delivery';

/** Default tolerance between the signing time and the receiving time, ms (5 minutes). */
export const DEFAULT_TOLERANCE_MS = 300_000;

/** Request headers as Node (`IncomingHttpHeaders`) or fetch (`Headers`) give them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The verdict of {@link verifyWebhook}: accepted, or why not. */
export type WebhookVerdict =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'missing-header' | 'malformed' | 'stale' | 'bad-signature' | 'replayed' };

/** The HMAC-SHA256 of `<timestampMs>.<body>` under `secret`, hex. */
export function computeSignature(secret: string, timestampMs: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestampMs}.`).update(body).digest('hex');
}

/** The headers that sign `body` at `timestampMs` (add them to the request as they are). */
export function signWebhook(secret: string, body: string | Uint8Array, timestampMs: number): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(timestampMs), [SIGNATURE_HEADER]: `v1=${computeSignature(secret, timestampMs, body)}` };
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
 * Verify a signed webhook request: both headers present, the timestamp within `toleranceMs`
 * of `nowMs` (either side, for clock skew), a `v1` signature over `<timestamp>.<body>` that
 * matches in constant time, and — with a `replays` cache — a signature not accepted before.
 * Pass the raw body exactly as received: re-serialised JSON does not verify. Without a cache
 * a request can be replayed within the window; keep one per receiver ({@link createReplayCache}).
 */
export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  nowMs: number,
  toleranceMs: number = DEFAULT_TOLERANCE_MS,
  replays?: ReplayCache,
): WebhookVerdict {
  const rawTimestamp = header(headers, TIMESTAMP_HEADER);
  const rawSignature = header(headers, SIGNATURE_HEADER);
  if (rawTimestamp === undefined || rawSignature === undefined) return { ok: false, reason: 'missing-header' };
  if (!/^[0-9]{1,16}$/.test(rawTimestamp)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(rawTimestamp);
  if (Math.abs(nowMs - timestamp) > toleranceMs) return { ok: false, reason: 'stale' };
  const candidates = rawSignature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (candidates.length === 0 || candidates.some((c) => !/^[0-9a-f]{64}$/i.test(c))) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  const match = candidates.find((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  if (match === undefined) return { ok: false, reason: 'bad-signature' };
  // Only a valid signature is remembered, so forged requests cannot fill the cache.
  if (replays?.checkAndRemember(match.toLowerCase(), timestamp + toleranceMs + 1, nowMs)) return { ok: false, reason: 'replayed' };
  return { ok: true, timestamp };
}
