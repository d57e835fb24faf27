// The 3.13+ option shapes the bridge builds, checked against the typings of the newest mediasoup
// that installs on Node 20 (3.19.3, a dev dependency under the alias `mediasoup-3-19`; its
// worker is never downloaded or run here — see docs/media.md).
import type { types as newest } from 'mediasoup-3-19';
import { describe, expectTypeOf, it } from 'vitest';
import type { ListenInfo, ListenInfoPlainOptions, ListenInfoWebRtcOptions } from '../src/transport-options';

describe('transport options for mediasoup ≥ 3.13 fit the newest typings', () => {
  it('listenInfo', () => {
    expectTypeOf<ListenInfo>().toMatchTypeOf<newest.TransportListenInfo>();
  });
  it('createPlainTransport options', () => {
    expectTypeOf<ListenInfoPlainOptions>().toMatchTypeOf<newest.PlainTransportOptions>();
  });
  it('createWebRtcTransport options', () => {
    expectTypeOf<ListenInfoWebRtcOptions>().toMatchTypeOf<newest.WebRtcTransportOptions>();
  });
});
