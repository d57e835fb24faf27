import { systemClock } from '@paceline/core';
import fc from 'fast-check';
import type { types as ms } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediasoupBridge, type MediasoupBridge, mixFrame, type SupervisionMode } from '../src/index';
import { mediasoupWorkerBin } from './support/mediasoup-worker';

const bin = mediasoupWorkerBin();
const pcmu = (ssrc: number): ms.RtpParameters => ({
  codecs: [{ mimeType: 'audio/PCMU', clockRate: 8_000, channels: 1, payloadType: 0, rtcpFeedback: [] }],
  encodings: [{ ssrc }],
});

describe('mixFrame', () => {
  it('sums the sources sample by sample and clips to 16 bits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -32_768, max: 32_767 }), { minLength: 160, maxLength: 160 }), { maxLength: 4 }),
        (sources) => {
          const mixed = mixFrame(sources.map((s) => Int16Array.from(s)));
          for (let i = 0; i < 160; i++) {
            const sum = sources.reduce((n, s) => n + (s[i] ?? 0), 0);
            expect(mixed[i]).toBe(Math.max(-32_768, Math.min(32_767, sum)));
          }
        },
      ),
    );
  });
});

/**
 * The privacy rule as an invariant, checked on a real mediasoup router after every step of
 * random join / mode / leave sequences by several supervisors: the caller's leg consumes a
 * supervisor's microphone (directly or through the mix) only while that supervisor barges;
 * the agent's desk consumes it only in whisper or barge; a joined supervisor hears both sides.
 * What is consumed where is read from mediasoup's own observer, not from the bridge's state.
 */
describe.skipIf(!bin)('supervision on a real worker', () => {
  let worker: ms.Worker;
  let bridge: MediasoupBridge;
  /** Live consumers per transport id (producer ids), as mediasoup reports them. */
  const consumed = new Map<string, Map<string, string>>();
  /** The transport each live producer belongs to. */
  const producedOn = new Map<string, string>();

  beforeAll(async () => {
    const mediasoup = await import('mediasoup');
    worker = await mediasoup.createWorker({ logLevel: 'error' });
    bridge = await createMediasoupBridge({ worker, clock: systemClock(), mediasoupVersion: mediasoup.version });
    bridge.router.observer.on('newtransport', (transport: ms.Transport) => {
      const consumers = new Map<string, string>();
      consumed.set(transport.id, consumers);
      transport.observer.on('close', () => consumed.delete(transport.id));
      transport.observer.on('newconsumer', (c: ms.Consumer) => {
        consumers.set(c.id, c.producerId);
        c.observer.on('close', () => consumers.delete(c.id));
      });
      transport.observer.on('newproducer', (p: ms.Producer) => {
        producedOn.set(p.id, transport.id);
        p.observer.on('close', () => producedOn.delete(p.id));
      });
    });
  });
  afterAll(async () => {
    await bridge?.close();
    worker?.close();
  });

  /**
   * Producers the transport consumes, following a mix back to what it consumes: a producer
   * on a transport that is none of the `known` ones (the leg, desks, microphones' transports)
   * is the mix's output, and the mix's input is the other unknown transport that consumes.
   */
  const hears = (transportId: string, known: ReadonlySet<string>): Set<string> => {
    const out = new Set<string>();
    for (const producerId of consumed.get(transportId)?.values() ?? []) {
      out.add(producerId);
      const from = producedOn.get(producerId);
      if (from === undefined || known.has(from)) continue;
      for (const [id, consumers] of consumed) if (!known.has(id) && id !== from) for (const p of consumers.values()) out.add(p);
    }
    return out;
  };

  it('the caller hears a supervisor only in barge; the agent only in whisper or barge', async () => {
    const caps = bridge.rtpCapabilities;
    const ops = fc.array(
      fc.record({
        who: fc.constantFrom('s1', 's2', 's3'),
        op: fc.constantFrom('join', 'mode', 'leave'),
        mode: fc.constantFrom<SupervisionMode>('listen', 'whisper', 'barge'),
      }),
      { minLength: 1, maxLength: 8 },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(ops, async (steps) => {
        run++;
        const callId = `call-${run}`;
        const agent = await bridge.openAgent('ana', { rtpCapabilities: caps });
        const agentMic = await bridge.produceAgentAudio('ana', pcmu(0x100 + run));
        const before = new Set(consumed.keys());
        await bridge.openCallLeg(callId, { ssrc: 0x200 + run, remote: { ip: '127.0.0.1', port: 9 } });
        const legTransport = [...consumed.keys()].find((id) => !before.has(id)) as string;
        await bridge.connect(callId, 'ana');
        const supervisors = new Map<string, { recv: string; mic: string }>();
        for (const id of ['s1', 's2', 's3']) {
          const session = await bridge.supervision.openSupervisor(id, { rtpCapabilities: caps });
          const mic = await bridge.supervision.produceSupervisorAudio(id, pcmu(0x300 + supervisors.size));
          supervisors.set(id, { recv: session.recv.id, mic });
        }
        const mics = [agentMic, ...[...supervisors.values()].map((s) => s.mic)];
        const endpoints = new Set([
          legTransport,
          agent.recv.id,
          ...[...supervisors.values()].map((s) => s.recv),
          ...mics.map((m) => producedOn.get(m) as string),
        ]);
        const model = new Map<string, SupervisionMode>();
        for (const step of steps) {
          if (step.op === 'join') {
            await bridge.supervision.supervise(callId, step.who, step.mode);
            model.set(step.who, step.mode);
          } else if (step.op === 'mode') {
            const joined = model.has(step.who);
            const done = bridge.supervision.setMode(step.who, step.mode);
            if (joined) {
              await done;
              model.set(step.who, step.mode);
            } else await expect(done).rejects.toMatchObject({ code: 'E_CONFLICT' });
          } else {
            await bridge.supervision.leave(step.who);
            model.delete(step.who);
          }
          const caller = hears(legTransport, endpoints);
          const agentHears = hears(agent.recv.id, endpoints);
          for (const [id, s] of supervisors) {
            const mode = model.get(id);
            expect(caller.has(s.mic), `caller hears ${id} (${mode ?? 'off'})`).toBe(mode === 'barge');
            expect(agentHears.has(s.mic), `agent hears ${id} (${mode ?? 'off'})`).toBe(mode === 'whisper' || mode === 'barge');
            const supervisorHears = new Set(consumed.get(s.recv)?.values() ?? []);
            expect(supervisorHears.has(agentMic), `${id} hears the agent`).toBe(mode !== undefined);
          }
          // While nobody barges the caller hears the agent directly, as without supervision.
          if (![...model.values()].includes('barge')) expect([...(consumed.get(legTransport)?.values() ?? [])]).toEqual([agentMic]);
        }
        await bridge.disconnect(callId); // the call ends: everyone leaves, the mix closes
        expect(bridge.supervision.sessions().every((s) => s.callId === undefined)).toBe(true);
        for (const id of supervisors.keys()) await bridge.supervision.closeSupervisor(id);
        await bridge.closeAgent('ana');
      }),
      { numRuns: 25 },
    );
    expect(bridge.supervision.sessions()).toEqual([]);
  }, 60_000);
});
