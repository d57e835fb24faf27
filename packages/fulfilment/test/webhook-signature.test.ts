import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, verifyWebhook } from '../src/index';

const SECRET = 'whsec_0123456789abcdef';
const EVENT = 'order.handed-off';
const BODY = JSON.stringify({ id: 'o-1:handed-off', type: EVENT, orderId: 'o-1' });
const T0 = 1_750_000_000_000;
const TOLERANCE = 300_000;
const fresh = () => createMemoryReplayStore();

describe('webhook signing', () => {
  it('signs HMAC-SHA256 over "<timestamp>.<event>.<body>" with timestamp and event headers', () => {
    const headers = signWebhook(SECRET, BODY, T0, EVENT);
    const expected = createHmac('sha256', SECRET).update(`${T0}.${EVENT}.${BODY}`).digest('hex');
    expect(headers).toEqual({ [TIMESTAMP_HEADER]: String(T0), [EVENT_HEADER]: EVENT, [SIGNATURE_HEADER]: `v2=${expected}` });
  });

  it('verifies a fresh request, from Node headers or fetch Headers, in any header case', async () => {
    const signed = signWebhook(SECRET, BODY, T0, EVENT);
    expect(await verifyWebhook(SECRET, signed, BODY, T0 + 1_000, TOLERANCE, fresh())).toEqual({ ok: true, timestamp: T0, event: EVENT });
    expect((await verifyWebhook(SECRET, new Headers(signed), Buffer.from(BODY), T0, TOLERANCE, fresh())).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.replace(/^p/, 'P'), v]));
    expect((await verifyWebhook(SECRET, upper, BODY, T0, TOLERANCE, fresh())).ok).toBe(true);
  });

  it('rejects a tampered body, a forged timestamp, a re-labelled event and a wrong secret', async () => {
    const signed = signWebhook(SECRET, BODY, T0, EVENT);
    const bad = { ok: false, reason: 'bad-signature' };
    expect(await verifyWebhook(SECRET, signed, BODY.replace('o-1', 'o-2'), T0, TOLERANCE, fresh())).toEqual(bad);
    expect(await verifyWebhook(SECRET, { ...signed, [TIMESTAMP_HEADER]: String(T0 + 1) }, BODY, T0, TOLERANCE, fresh())).toEqual(bad);
    // The event header is signed: the same body re-labelled as another event is refused.
    expect(await verifyWebhook(SECRET, { ...signed, [EVENT_HEADER]: 'order.updated' }, BODY, T0, TOLERANCE, fresh())).toEqual(bad);
    expect(await verifyWebhook('another-secret-of-16+', signed, BODY, T0, TOLERANCE, fresh())).toEqual(bad);
  });

  it('refuses the v1 scheme, which did not cover the event (no downgrade)', async () => {
    const v1 = createHmac('sha256', SECRET).update(`${T0}.${BODY}`).digest('hex');
    const headers = { [TIMESTAMP_HEADER]: String(T0), [EVENT_HEADER]: 'order.updated', [SIGNATURE_HEADER]: `v1=${v1}` };
    expect(await verifyWebhook(SECRET, headers, BODY, T0, TOLERANCE, fresh())).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a request older (or further ahead) than the tolerance window', async () => {
    const signed = signWebhook(SECRET, BODY, T0, EVENT);
    expect((await verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE, TOLERANCE, fresh())).ok).toBe(true);
    expect(await verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE + 1, TOLERANCE, fresh())).toEqual({ ok: false, reason: 'stale' });
    expect(await verifyWebhook(SECRET, signed, BODY, T0 - TOLERANCE - 1, TOLERANCE, fresh())).toEqual({ ok: false, reason: 'stale' });
  });

  it('requires a replay store', async () => {
    const signed = signWebhook(SECRET, BODY, T0, EVENT);
    // @ts-expect-error the replay store is not optional
    await expect(verifyWebhook(SECRET, signed, BODY, T0, TOLERANCE)).rejects.toThrow(/replay store is required/);
  });

  it('rejects a replay within the window, and forgets it once the window has passed', async () => {
    const replays = createMemoryReplayStore();
    const signed = signWebhook(SECRET, BODY, T0, EVENT);
    expect((await verifyWebhook(SECRET, signed, BODY, T0, TOLERANCE, replays)).ok).toBe(true);
    expect(await verifyWebhook(SECRET, signed, BODY, T0 + 10_000, TOLERANCE, replays)).toEqual({ ok: false, reason: 'replayed' });
    expect(await verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE, TOLERANCE, replays)).toEqual({ ok: false, reason: 'replayed' });
    // past the window it is stale rather than replayed, and the store can let it go
    expect(await verifyWebhook(SECRET, signed, BODY, T0 + TOLERANCE + 1, TOLERANCE, replays)).toEqual({ ok: false, reason: 'stale' });
    // a retry of the same event is signed afresh and accepted
    expect((await verifyWebhook(SECRET, signWebhook(SECRET, BODY, T0 + 5_000, EVENT), BODY, T0 + 6_000, TOLERANCE, replays)).ok).toBe(true);
  });

  it('never evicts a live entry early, however many newer requests arrive', async () => {
    const replays = createMemoryReplayStore();
    const first = signWebhook(SECRET, BODY, T0, EVENT);
    expect((await verifyWebhook(SECRET, first, BODY, T0, TOLERANCE, replays)).ok).toBe(true);
    for (let i = 1; i <= 120_000; i++) {
      const body = `{"n":${i}}`;
      await replays.remember(`other-${i}`, T0 + TOLERANCE, T0 + (i % 1_000));
      if (i % 40_000 === 0)
        expect((await verifyWebhook(SECRET, signWebhook(SECRET, body, T0, EVENT), body, T0, TOLERANCE, replays)).ok).toBe(true);
    }
    expect(await verifyWebhook(SECRET, first, BODY, T0 + 1_000, TOLERANCE, replays)).toEqual({ ok: false, reason: 'replayed' });
    // Entries whose window has ended are swept: the store is bounded by the window.
    const before = replays.size;
    for (let i = 0; i < 20_000; i++) await replays.remember(`after-${i}`, T0 + 3 * TOLERANCE, T0 + 2 * TOLERANCE);
    expect(before).toBeGreaterThan(120_000);
    expect(replays.size).toBeLessThan(25_000);
  });

  it('does not let forged requests fill the replay store', async () => {
    const replays = createMemoryReplayStore();
    for (let i = 0; i < 10; i++)
      await verifyWebhook(SECRET, signWebhook('forger-secret-1234', BODY, T0 + i, EVENT), BODY, T0, TOLERANCE, replays);
    expect(replays.size).toBe(0);
  });

  it('accepts a signature by any current secret (rotation), counts a re-signed copy as a replay, and refuses missing or malformed headers', async () => {
    const replays = createMemoryReplayStore();
    const both = signWebhook(['the-old-secret-1234', SECRET], BODY, T0, EVENT);
    expect(both[SIGNATURE_HEADER]?.split(',')).toHaveLength(2);
    expect((await verifyWebhook(['the-old-secret-1234', SECRET], both, BODY, T0, TOLERANCE, replays)).ok).toBe(true);
    // the same request carrying only the other secret's signature is the same request
    const newOnly = signWebhook(SECRET, BODY, T0, EVENT);
    expect(await verifyWebhook(['the-old-secret-1234', SECRET], newOnly, BODY, T0, TOLERANCE, replays)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect((await verifyWebhook(SECRET, both, BODY, T0, TOLERANCE, fresh())).ok).toBe(true);
    const { [EVENT_HEADER]: _event, ...noEvent } = newOnly;
    expect(await verifyWebhook(SECRET, noEvent, BODY, T0, TOLERANCE, fresh())).toEqual({ ok: false, reason: 'missing-header' });
    expect(await verifyWebhook(SECRET, { [SIGNATURE_HEADER]: newOnly[SIGNATURE_HEADER] }, BODY, T0, TOLERANCE, fresh())).toEqual({
      ok: false,
      reason: 'missing-header',
    });
    expect(await verifyWebhook(SECRET, { ...newOnly, [TIMESTAMP_HEADER]: 'yesterday' }, BODY, T0, TOLERANCE, fresh())).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(await verifyWebhook(SECRET, { ...newOnly, [SIGNATURE_HEADER]: 'v2=zz' }, BODY, T0, TOLERANCE, fresh())).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
