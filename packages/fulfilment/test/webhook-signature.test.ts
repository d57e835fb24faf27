import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReplayCache, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, verifyWebhook } from '../src/index';

const SECRET = 'whsec_0123456789abcdef';
const BODY = JSON.stringify({ id: 'o-1:handed-off', type: 'order.handed-off', orderId: 'o-1' });
const T0 = 1_750_000_000_000;
const TOLERANCE = 300_000;

describe('webhook signing', () => {
  it('signs HMAC-SHA256 over "<timestamp>.<body>" with a timestamp header', () => {
    const headers = signWebhook(SECRET, BODY, T0);
    const expected = createHmac('sha256', SECRET).update(`${T0}.${BODY}`).digest('hex');
    expect(headers).toEqual({ [TIMESTAMP_HEADER]: String(T0), [SIGNATURE_HEADER]: `v1=${expected}` });
  });

  it('verifies a fresh request, from Node headers or fetch Headers, in any header case', () => {
    const signed = signWebhook(SECRET, BODY, T0);
    expect(verifyWebhook(SECRET, signed, BODY, T0 + 1_000, TOLERANCE)).toEqual({ ok: true, timestamp: T0 });
    expect(verifyWebhook(SECRET, new Headers(signed), Buffer.from(BODY), T0, TOLERANCE).ok).toBe(true);
    const upper = { 'Paceline-Timestamp': signed[TIMESTAMP_HEADER], 'Paceline-Signature': signed[SIGNATURE_HEADER] };
    expect(verifyWebhook(SECRET, upper, BODY, T0, TOLERANCE).ok).toBe(true);
  });

  it('rejects a tampered body, a forged timestamp and a wrong secret', () => {
    const signed = signWebhook(SECRET, BODY, T0);
    expect(verifyWebhook(SECRET, signed, BODY.replace('o-1', 'o-2'), T0, TOLERANCE)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhook(SECRET, { ...signed, [TIMESTAMP_HEADER]: String(T0 + 1) }, BODY, T0, TOLERANCE)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyWebhook('another-secret-of-16+', signed, BODY, T0, TOLERANCE)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a request older (or further ahead) than the tolerance window', () => {
    const signed = signWebhook(SECRET, BODY, T0);
    expect(verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE, TOLERANCE).ok).toBe(true);
    expect(verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE + 1, TOLERANCE)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(SECRET, signed, BODY, T0 - TOLERANCE - 1, TOLERANCE)).toEqual({ ok: false, reason: 'stale' });
  });

  it('rejects a replay within the window, and forgets it once the window has passed', () => {
    const replays = createReplayCache();
    const signed = signWebhook(SECRET, BODY, T0);
    expect(verifyWebhook(SECRET, signed, BODY, T0, TOLERANCE, replays).ok).toBe(true);
    expect(verifyWebhook(SECRET, signed, BODY, T0 + 10_000, TOLERANCE, replays)).toEqual({ ok: false, reason: 'replayed' });
    expect(verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE, TOLERANCE, replays)).toEqual({ ok: false, reason: 'replayed' });
    // past the window it is stale rather than replayed, and the cache can let it go
    expect(verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE + 1, TOLERANCE, replays)).toEqual({ ok: false, reason: 'stale' });
    // a retry of the same event is signed afresh and accepted
    expect(verifyWebhook(SECRET, signWebhook(SECRET, BODY, T0 + 5_000), BODY, T0 + 6_000, TOLERANCE, replays).ok).toBe(true);
  });

  it('does not let forged requests fill the replay cache', () => {
    const replays = createReplayCache({ maxEntries: 2 });
    for (let i = 0; i < 10; i++)
      verifyWebhook(SECRET, { ...signWebhook('forger-secret-1234', BODY, T0 + i) }, BODY, T0, TOLERANCE, replays);
    expect(replays.size).toBe(0);
  });

  it('accepts any of several v1 signatures (secret rotation) and refuses missing or malformed headers', () => {
    const signed = signWebhook(SECRET, BODY, T0);
    const old = signWebhook('the-old-secret-1234', BODY, T0)[SIGNATURE_HEADER];
    expect(verifyWebhook(SECRET, { ...signed, [SIGNATURE_HEADER]: `${old}, ${signed[SIGNATURE_HEADER]}` }, BODY, T0, TOLERANCE).ok).toBe(
      true,
    );
    expect(verifyWebhook(SECRET, { [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] }, BODY, T0, TOLERANCE)).toEqual({
      ok: false,
      reason: 'missing-header',
    });
    expect(verifyWebhook(SECRET, { ...signed, [TIMESTAMP_HEADER]: 'yesterday' }, BODY, T0, TOLERANCE)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyWebhook(SECRET, { ...signed, [SIGNATURE_HEADER]: 'v1=zz' }, BODY, T0, TOLERANCE)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
