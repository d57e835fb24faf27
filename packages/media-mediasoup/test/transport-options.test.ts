import * as newest from 'mediasoup-3-19';
import { describe, expect, it } from 'vitest';
import { mediasoupApi, plainTransportOptions, tupleLocalAddress, webRtcTransportOptions } from '../src/transport-options';

// The bridge builds its transport options for the mediasoup version the host runs; only
// 3.12.16 can run here, so the shapes for later versions are checked without a worker.
describe('mediasoup version switch', () => {
  it('reads the API generation from mediasoup.version', () => {
    expect(mediasoupApi()).toMatchObject({ version: '3.12.0', listenInfo: false, announcedAddress: false, portRange: false });
    expect(mediasoupApi('3.12.16')).toMatchObject({ listenInfo: false });
    expect(mediasoupApi('3.13.0')).toMatchObject({ listenInfo: true, announcedAddress: false, portRange: false });
    expect(mediasoupApi('3.13.17')).toMatchObject({ announcedAddress: false });
    expect(mediasoupApi('3.13.18')).toMatchObject({ announcedAddress: true, portRange: false });
    expect(mediasoupApi('3.14.0')).toMatchObject({ listenInfo: true, announcedAddress: true, portRange: true });
    expect(mediasoupApi('3.19.19')).toMatchObject({ version: '3.19.19', portRange: true });
    expect(mediasoupApi('3.14.0-rc.1')).toMatchObject({ portRange: true });
  });

  it('reads the newest installable mediasoup (3.19.3, loaded without its worker) as the listenInfo generation', () => {
    expect(mediasoupApi(newest.version)).toMatchObject({ version: '3.19.3', listenInfo: true, announcedAddress: true, portRange: true });
  });

  it('refuses versions outside the peer range with the field and the fix', () => {
    for (const bad of ['3.11.26', '4.0.0', '2.6.5', 'latest', '']) {
      expect(() => mediasoupApi(bad)).toThrow(/mediasoupVersion: expected a mediasoup version in the peer range >=3\.12 <4/);
    }
    expect(() => mediasoupApi('nope')).toThrow(expect.objectContaining({ code: 'E_INVALID_CONFIG' }));
  });

  it('3.12: listenIp / listenIps with announcedIp, a fixed port at the top level, no port range', () => {
    const api = mediasoupApi('3.12.16');
    const listen = { ip: '0.0.0.0', announced: '203.0.113.10', port: 40_002, portRange: { min: 40_000, max: 40_100 } };
    expect(plainTransportOptions(api, listen, { comedia: true })).toEqual({
      rtcpMux: true,
      comedia: true,
      listenIp: { ip: '0.0.0.0', announcedIp: '203.0.113.10' },
      port: 40_002,
    });
    expect(plainTransportOptions(api, { ip: '127.0.0.1' }, { comedia: false })).toEqual({
      rtcpMux: true,
      comedia: false,
      listenIp: { ip: '127.0.0.1' },
    });
    expect(webRtcTransportOptions(api, { ip: '0.0.0.0', announced: '203.0.113.10' })).toEqual({
      listenIps: [{ ip: '0.0.0.0', announcedIp: '203.0.113.10' }],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
    });
  });

  it('3.13: listenInfo(s) with protocol, the fixed port inside listenInfo, still announcedIp before 3.13.18', () => {
    const api = mediasoupApi('3.13.5');
    expect(plainTransportOptions(api, { ip: '10.0.0.5', announced: '203.0.113.10', port: 40_002 }, { comedia: false })).toEqual({
      rtcpMux: true,
      comedia: false,
      listenInfo: { protocol: 'udp', ip: '10.0.0.5', announcedIp: '203.0.113.10', port: 40_002 },
    });
    const webRtc = webRtcTransportOptions(api, { ip: '10.0.0.5', portRange: { min: 1, max: 2 } }) as unknown as Record<string, unknown>;
    expect(webRtc).toEqual({
      listenInfos: [
        { protocol: 'udp', ip: '10.0.0.5' },
        { protocol: 'tcp', ip: '10.0.0.5' },
      ],
      preferUdp: true,
    });
    expect(webRtc).not.toHaveProperty('listenIps');
  });

  it('3.14+: announcedAddress and a per-transport portRange (a fixed port wins over the range)', () => {
    const api = mediasoupApi('3.16.4');
    const range = { min: 40_000, max: 40_999 };
    expect(plainTransportOptions(api, { ip: '0.0.0.0', announced: 'media.example.com', portRange: range }, { comedia: true })).toEqual({
      rtcpMux: true,
      comedia: true,
      listenInfo: { protocol: 'udp', ip: '0.0.0.0', announcedAddress: 'media.example.com', portRange: range },
    });
    expect(plainTransportOptions(api, { ip: '0.0.0.0', port: 40_002, portRange: range }, { comedia: false })).toEqual({
      rtcpMux: true,
      comedia: false,
      listenInfo: { protocol: 'udp', ip: '0.0.0.0', port: 40_002 },
    });
    expect(webRtcTransportOptions(api, { ip: '0.0.0.0', announced: '203.0.113.10', portRange: range })).toEqual({
      listenInfos: [
        { protocol: 'udp', ip: '0.0.0.0', announcedAddress: '203.0.113.10', portRange: range },
        { protocol: 'tcp', ip: '0.0.0.0', announcedAddress: '203.0.113.10', portRange: range },
      ],
      preferUdp: true,
    });
  });

  it('reads the tuple address under either name', () => {
    expect(tupleLocalAddress({ localIp: '127.0.0.1' })).toBe('127.0.0.1'); // 3.12
    expect(tupleLocalAddress({ localIp: '10.0.0.5', localAddress: '10.0.0.5' })).toBe('10.0.0.5'); // 3.13+
    expect(tupleLocalAddress({ localAddress: '::1' })).toBe('::1');
  });
});
