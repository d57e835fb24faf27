import { PacelineError } from '@paceline/core';
import type { types as ms } from 'mediasoup';

/**
 * What differs between the mediasoup versions of the peer range (`>=3.12 <4`) for the
 * options the bridge builds (mediasoup CHANGELOG):
 * - 3.13.0: transports listen on `listenInfo` / `listenInfos` (`{ protocol, ip, … }`);
 *   `listenIp(s)` are deprecated (and 3.13.0–3.13.18 mishandle `listenIps`), a fixed port
 *   moves from the top-level `port` into `listenInfo.port`, and the transport tuple reports
 *   `localAddress` (`localIp` is deprecated).
 * - 3.13.18: the public address is `announcedAddress` (`announcedIp` is deprecated).
 * - 3.14.0: `listenInfo.portRange` per transport (the worker's `rtcMinPort`/`rtcMaxPort` are deprecated).
 */
export interface MediasoupApi {
  /** The version it was read from, `major.minor.patch`. */
  readonly version: string;
  readonly listenInfo: boolean;
  readonly announcedAddress: boolean;
  readonly portRange: boolean;
}

/** The API generation of a mediasoup version string (`mediasoup.version`); default 3.12. */
export function mediasoupApi(version = '3.12.0'): MediasoupApi {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(version.trim());
  const [major, minor, patch] = match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [Number.NaN, 0, 0];
  if (major !== 3 || minor < 12) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `mediasoupVersion: expected a mediasoup version in the peer range >=3.12 <4 (pass mediasoup.version), got "${version}"`,
    );
  }
  const at = (m: number, p = 0) => minor > m || (minor === m && patch >= p);
  return { version: `${major}.${minor}.${patch}`, listenInfo: at(13), announcedAddress: at(13, 18), portRange: at(14) };
}

/** Where a transport listens: the bridge's `listenIp`, `announcedIp` and optional fixed port or range. */
export interface ListenOptions {
  readonly ip: string;
  /** The public address given to peers (NAT); absent: `ip`. */
  readonly announced?: string;
  /** A fixed local port (a latched call leg keeps the port it answered on). */
  readonly port?: number;
  /** 3.14+: the UDP/TCP port range of this transport; older versions use the worker's `rtcMinPort`/`rtcMaxPort`. */
  readonly portRange?: { readonly min: number; readonly max: number };
}

/** A transport's `listenInfo` (3.13+); checked against the newest typings in test/newest-mediasoup.test-d.ts. */
export type ListenInfo = {
  protocol: 'udp' | 'tcp';
  ip: string;
  announcedIp?: string;
  announcedAddress?: string;
  port?: number;
  portRange?: { min: number; max: number };
};

function listenInfo(api: MediasoupApi, protocol: 'udp' | 'tcp', listen: ListenOptions): ListenInfo {
  const info: ListenInfo = { protocol, ip: listen.ip };
  if (listen.announced !== undefined) {
    if (api.announcedAddress) info.announcedAddress = listen.announced;
    else info.announcedIp = listen.announced;
  }
  if (listen.port !== undefined) info.port = listen.port;
  else if (listen.portRange && api.portRange) info.portRange = { min: listen.portRange.min, max: listen.portRange.max };
  return info;
}

/** 3.12's `listenIp`: the address and, behind NAT, the announced one. */
function listenIpOf(listen: ListenOptions): { ip: string; announcedIp?: string } {
  return listen.announced === undefined ? { ip: listen.ip } : { ip: listen.ip, announcedIp: listen.announced };
}

/** 3.13+ `createPlainTransport` options (the 3.12 typings we build against do not know `listenInfo`). */
export type ListenInfoPlainOptions = { rtcpMux: boolean; comedia: boolean; listenInfo: ListenInfo };
/** 3.13+ `createWebRtcTransport` options. */
export type ListenInfoWebRtcOptions = { listenInfos: ListenInfo[]; preferUdp: boolean };

/** `router.createPlainTransport` options: one UDP port, RTCP muxed, comedia or not. */
export function plainTransportOptions(
  api: MediasoupApi,
  listen: ListenOptions,
  o: { comedia: boolean },
): ms.PlainTransportOptions | ListenInfoPlainOptions {
  const base = { rtcpMux: true, comedia: o.comedia };
  if (!api.listenInfo) {
    return { ...base, listenIp: listenIpOf(listen), ...(listen.port === undefined ? {} : { port: listen.port }) };
  }
  return { ...base, listenInfo: listenInfo(api, 'udp', listen) };
}

/** `router.createWebRtcTransport` options: UDP preferred, TCP as the fallback for restrictive networks. */
export function webRtcTransportOptions(api: MediasoupApi, listen: ListenOptions): ms.WebRtcTransportOptions | ListenInfoWebRtcOptions {
  if (!api.listenInfo) {
    return { listenIps: [listenIpOf(listen)], enableUdp: true, enableTcp: true, preferUdp: true };
  }
  return { listenInfos: [listenInfo(api, 'udp', listen), listenInfo(api, 'tcp', listen)], preferUdp: true };
}

/** The local address of a transport tuple: `localAddress` on 3.13+, `localIp` before. */
export function tupleLocalAddress(tuple: { readonly localIp?: string; readonly localAddress?: string }): string {
  return tuple.localAddress ?? tuple.localIp ?? '127.0.0.1';
}

/** Whether `ip` is a wildcard listen address (then local senders use 127.0.0.1). */
export function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
