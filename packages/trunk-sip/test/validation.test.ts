import { isPacelineError, type PacelineError, seededRandom, VirtualClock } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SipTrunkOptions } from '../src/index';
import { createSipTrunk, validateOriginate, validateSipTrunkOptions } from '../src/index';

const base: SipTrunkOptions = {
  trunks: [{ id: 'a', host: '127.0.0.1', port: 5060 }],
  clock: new VirtualClock(0),
  random: seededRandom(1),
};
const request = { callId: 'c1', campaignId: 'camp', to: '+14155550001', callerId: '+14155550100', ringTimeoutMs: 15_000 };

/** The thrown error: a non-retryable E_INVALID_INPUT whose message and issues name `field`. */
function refusal(fn: () => unknown, field: string): PacelineError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isPacelineError(caught, 'E_INVALID_INPUT'), String(caught)).toBe(true);
  const error = caught as PacelineError;
  expect(error.message).toContain(field);
  expect(error.issues.map((i) => i.path)).toContain(field);
  expect(error.cause.retryable).toBe(false);
  return error;
}

describe('originate input', () => {
  it.each([
    ['to', { to: '4155550001' }],
    ['to', { to: '+1 415 555 0001' }],
    ['to', { to: '+14155550001\r\nX-Injected: 1' }],
    ['to', { to: 'sip:evil@example.com' }],
    ['callerId', { callerId: '+14155550100\r\nVia: evil' }],
    ['callerId', { callerId: '"Bob" <sip:bob@x>' }],
    ['callerId', { callerId: 'anonymous' }],
    ['ringTimeoutMs', { ringTimeoutMs: 10_000 }],
    ['ringTimeoutMs', { ringTimeoutMs: Number.NaN }],
    ['ringTimeoutMs', { ringTimeoutMs: Number.POSITIVE_INFINITY }],
    ['callId', { callId: '' }],
  ])('refuses a bad %s with a non-retryable E_INVALID_INPUT naming it', (field, patch) => {
    refusal(() => validateOriginate({ ...request, ...patch }), `originate.${field}`);
  });

  it('accepts every E.164 number and refuses any caller ID carrying a control character (property)', () => {
    const e164 = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{6,14}$/)).map(([d, rest]) => `+${d}${rest}`);
    fc.assert(fc.property(e164, e164, (to, callerId) => validateOriginate({ ...request, to, callerId }) === undefined));
    const withControl = fc
      .tuple(e164, fc.integer({ min: 0, max: 31 }), fc.nat())
      .map(([n, code, at]) => n.slice(0, 1 + (at % n.length)) + String.fromCharCode(code) + n.slice(1 + (at % n.length)));
    fc.assert(
      fc.property(
        withControl,
        (callerId) => refusal(() => validateOriginate({ ...request, callerId }), 'originate.callerId') !== undefined,
      ),
    );
  });

  it('refuses from originate itself, before any socket or timer, and a reused id after', async () => {
    const clock = new VirtualClock(0);
    const trunk = await createSipTrunk({ ...base, clock, bindAddress: '127.0.0.1' });
    await expect(trunk.originate({ ...request, to: '+1415\n' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    expect(trunk.stats()).toMatchObject({ callsInFlight: 0, openSockets: 1 });
    expect(clock.pending).toBe(0);
    await trunk.close();
  });
});

describe('trunk options', () => {
  it.each([
    ['createSipTrunk.trunks', { trunks: [] }],
    ['createSipTrunk.trunks[0].host', { trunks: [{ id: 'a', host: 'carrier.example\r\nX: y' }] }],
    ['createSipTrunk.trunks[0].port', { trunks: [{ id: 'a', host: 'h', port: 70_000 }] }],
    ['createSipTrunk.trunks[0].callerId', { trunks: [{ id: 'a', host: 'h', callerId: '+1415<sip:x>' }] }],
    ['createSipTrunk.trunks[0].username', { trunks: [{ id: 'a', host: 'h', username: 'me@evil' }] }],
    ['createSipTrunk.trunks[0].password', { trunks: [{ id: 'a', host: 'h', password: 'x\r\ny' }] }],
    ['createSipTrunk.trunks[0].callsPerSecond', { trunks: [{ id: 'a', host: 'h', callsPerSecond: 0 }] }],
    ['createSipTrunk.trunks[0].transport', { trunks: [{ id: 'a', host: 'h', transport: 'ws' }] }],
    ['createSipTrunk.trunks[0].peers[0]', { trunks: [{ id: 'a', host: 'h', peers: ['carrier.example'] }] }],
    [
      'createSipTrunk.trunks[1].id',
      {
        trunks: [
          { id: 'a', host: 'h' },
          { id: 'a', host: 'h2' },
        ],
      },
    ],
    ['createSipTrunk.sipTimers.t1Ms', { sipTimers: { t1Ms: Number.POSITIVE_INFINITY } }],
    ['createSipTrunk.sipTimers.t1Ms', { sipTimers: { t1Ms: 0 } }],
    ['createSipTrunk.breaker.openMs', { breaker: { openMs: Number.NaN } }],
    ['createSipTrunk.acceptWaitMs', { acceptWaitMs: -1 }],
    ['createSipTrunk.maxSetupMs', { maxSetupMs: 1_000 }],
    ['createSipTrunk.maxRedirects', { maxRedirects: 99 }],
    ['createSipTrunk.rtpSource', { rtpSource: 'anyone' }],
    ['createSipTrunk.inboundResponse', { inboundResponse: 200 }],
  ])('refuses %s', (field, patch) => {
    refusal(() => validateSipTrunkOptions({ ...base, ...(patch as Partial<SipTrunkOptions>) }), field);
  });

  it('refuses before opening anything, and accepts the documented example', async () => {
    await expect(createSipTrunk({ ...base, sipTimers: { t1Ms: -5 } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    expect(() =>
      validateSipTrunkOptions({
        ...base,
        trunks: [
          {
            id: 'carrier-a',
            host: 'sip.carrier-a.example',
            port: 5060,
            transport: 'udp',
            username: 'acct-1234',
            password: 's3cr3t!',
            callerId: '+442071234567',
            maxChannels: 30,
            callsPerSecond: 5,
          },
          { id: 'carrier-b', host: 'sip.carrier-b.example', transport: 'tls', prefixes: ['+44'], peers: ['192.0.2.10'] },
        ],
        maxSetupMs: 90_000,
      }),
    ).not.toThrow();
  });
});
