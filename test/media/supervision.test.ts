import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDesk } from '../../examples/agent-desk/server';
import { mediasoupWorkerBin } from '../../packages/media-mediasoup/test/support/mediasoup-worker';
import type { RtpSink } from '../../packages/trunk-sip/test/support/rtp-sink';
import { sippAvailable } from '../../packages/trunk-sip/test/support/sipp';
import { chromiumAvailable } from '../support/chromium';
import { until } from './support/browser-media';
import { AGENT_HZ, SUPERVISOR_HZ, type SupervisedCall, startSupervisedCall } from './support/supervised-call';
import { framesWithTone } from './support/tone';

const bin = mediasoupWorkerBin();
const haveChromium = chromiumAvailable('supervision browser test');
const haveSipp = sippAvailable();
if (!haveSipp && process.env.CI === 'true') throw new Error('supervision browser test: sipp not found (apt-get install sip-tester)');
if (!haveSipp) console.warn('supervision browser test skipped: sipp not found (apt-get install sip-tester)');

type DeskWindow = { desk: { inboundPackets(): Promise<number>; coachPackets(): Promise<number>; coached(): number; callId(): string } };
type SupervisorWindow = { supervisor: { packetsFrom(source: 'caller' | 'agent'): Promise<number> } };

/**
 * Listen, whisper and barge end to end: SIPp is the caller (its RTP sink is what the caller
 * hears), the agent desk page and the supervisor page run in two headless Chromiums whose
 * fake microphones play different tones (agent 500 Hz, supervisor 1.4 kHz). Listen: the
 * supervisor page receives the caller's and the agent's audio. Whisper: the agent's page
 * receives the supervisor's voice, and not one frame of the caller's audio carries the
 * supervisor's tone. Barge: the caller's audio carries both tones (the bridge's mix), and the
 * agent still hears the supervisor. Every join, mode change and leave is an audit event.
 */
describe.skipIf(!bin || !haveChromium || !haveSipp)('supervising a live call: SIPp ↔ agent desk ↔ supervisor page', () => {
  let call: SupervisedCall | undefined;
  let desk: AgentDesk;
  let agentBrowser: Browser;
  let supervisorBrowser: Browser;
  let callerEar: RtpSink;

  beforeAll(async () => {
    call = await startSupervisedCall('supervision-');
    ({ desk, agentBrowser, supervisorBrowser, callerEar } = call);
  }, 60_000);
  afterAll(async () => {
    await call?.close();
  });

  it('listen hears both sides, whisper reaches the agent only, barge reaches both; each step is audited', async () => {
    const errors: string[] = [];
    const watch = (page: Page) => {
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        errors.push(d.message());
        void d.dismiss();
      });
    };
    const agent = await agentBrowser.newPage();
    watch(agent);
    await agent.goto(desk.url);
    await agent.fill('#agent-id', 'ana');
    await agent.click('#login-btn');
    await agent.waitForSelector('#desk:not([hidden])', { timeout: 15_000 });
    const offered = new Promise<string>((resolve) => desk.dialer.on('connected', (o) => resolve(o.callId)));
    await agent.click('#ready-btn');
    const callId = await offered;
    await until(
      () => agent.evaluate(() => (globalThis as never as DeskWindow).desk.inboundPackets()).then((n) => n > 10),
      'the caller at the desk',
    );

    const supervisor = await supervisorBrowser.newPage();
    watch(supervisor);
    await supervisor.goto(`${desk.url}supervisor`);
    await supervisor.fill('#supervisor-id', 'sam');
    await supervisor.click('#login-btn');
    const stats = () => desk.bridge.supervision.streamStats('sam');
    const fromPage = () =>
      supervisor.evaluate(async () => {
        const s = (globalThis as never as SupervisorWindow).supervisor;
        return { caller: await s.packetsFrom('caller'), agent: await s.packetsFrom('agent') };
      });
    const coachPackets = () => agent.evaluate(() => (globalThis as never as DeskWindow).desk.coachPackets());
    /** What SIPp (the caller) receives from now until `frames` more packets have arrived. */
    const callerHears = async (frames: number) => {
      const from = callerEar.packets.length;
      await until(() => callerEar.packets.length >= from + frames, `the caller to receive ${frames} packets`);
      return callerEar.packets.slice(from, from + frames).map((p) => p.payload);
    };

    // Errors a supervisor's client must handle: an unknown call, no agent, a bad mode.
    await expect(desk.bridge.supervision.supervise('no-such-call', 'sam', 'listen')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(desk.bridge.supervision.supervise(callId, 'sam', 'shout' as never)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(desk.bridge.supervision.supervise(callId, 'nobody', 'listen')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });

    // ── listen ──
    await supervisor.click(`tr[data-call-id="${callId}"] button[data-join="listen"]`, { timeout: 15_000 });
    await supervisor.waitForSelector('#mode:has-text("listen")', { timeout: 10_000 });
    await until(() => fromPage().then((n) => n.caller > 10 && n.agent > 10), 'both sides at the supervisor page');
    const listenPage0 = await fromPage();
    const listenStats0 = await stats();
    const listenEar = await callerHears(75); // 1.5 s of the caller's audio
    const listenPage1 = await fromPage();
    const listenStats1 = await stats();
    expect(listenPage1.caller - listenPage0.caller).toBeGreaterThan(30); // caller → supervisor page (WebRTC getStats)
    expect(listenPage1.agent - listenPage0.agent).toBeGreaterThan(30); // agent → supervisor page
    expect(listenStats1.fromCaller - listenStats0.fromCaller).toBeGreaterThan(30); // the same, as mediasoup forwarded it
    expect(listenStats1.fromAgent - listenStats0.fromAgent).toBeGreaterThan(30);
    expect(listenStats1).toMatchObject({ callId, mode: 'listen', toAgent: 0, toCaller: 0 });
    expect(framesWithTone(listenEar, AGENT_HZ)).toBeGreaterThan(20); // the caller hears the agent…
    expect(framesWithTone(listenEar, SUPERVISOR_HZ)).toBe(0); // …and never the listening supervisor
    expect(await coachPackets()).toBe(0);

    // ── whisper ──
    await supervisor.click('#on-call button[data-mode="whisper"]');
    await supervisor.waitForSelector('#mode:has-text("whisper")', { timeout: 10_000 });
    await until(() => coachPackets().then((n) => n > 10), 'the whisper at the desk');
    const whisperCoach0 = await coachPackets();
    const whisperStats0 = await stats();
    const whisperEar = await callerHears(75);
    const whisperCoach1 = await coachPackets();
    const whisperStats1 = await stats();
    expect(whisperCoach1 - whisperCoach0).toBeGreaterThan(30); // supervisor → agent page (WebRTC getStats)
    expect(whisperStats1.toAgent - whisperStats0.toAgent).toBeGreaterThan(30);
    expect(whisperStats1.fromCaller - whisperStats0.fromCaller).toBeGreaterThan(30); // still listening
    expect(whisperStats1.toCaller).toBe(0);
    expect(framesWithTone(whisperEar, AGENT_HZ)).toBeGreaterThan(20);
    expect(framesWithTone(whisperEar, SUPERVISOR_HZ)).toBe(0); // the caller never hears a whisper

    // ── barge ──
    await supervisor.click('#on-call button[data-mode="barge"]');
    await supervisor.waitForSelector('#mode:has-text("barge")', { timeout: 10_000 });
    await until(async () => (await stats()).toCaller > 10, 'the supervisor to reach the caller mix');
    await callerHears(10); // the mix's jitter buffer fills
    const bargeCoach0 = await coachPackets();
    const bargeStats0 = await stats();
    const bargeEar = await callerHears(75);
    const bargeCoach1 = await coachPackets();
    const bargeStats1 = await stats();
    expect(framesWithTone(bargeEar, SUPERVISOR_HZ)).toBeGreaterThan(20); // the caller hears the supervisor…
    expect(framesWithTone(bargeEar, AGENT_HZ)).toBeGreaterThan(20); // …and the agent, in one mixed stream
    expect(new Set(callerEar.packets.slice(-75).map((p) => p.ssrc)).size).toBe(1); // one stream for the carrier
    expect(bargeCoach1 - bargeCoach0).toBeGreaterThan(30); // and the agent still hears the supervisor
    expect(bargeStats1.toCaller - bargeStats0.toCaller).toBeGreaterThan(30);

    // ── leave: the caller hears the agent alone again ──
    await supervisor.click('#leave-btn');
    await supervisor.waitForSelector('#on-call[hidden]', { state: 'attached', timeout: 10_000 });
    await callerHears(10);
    const afterEar = await callerHears(50);
    expect(framesWithTone(afterEar, SUPERVISOR_HZ)).toBe(0);
    expect(framesWithTone(afterEar, AGENT_HZ)).toBeGreaterThan(10);
    await agent.waitForFunction(() => (globalThis as never as DeskWindow).desk.coached() === 0, undefined, { timeout: 10_000 });

    const audit = desk.supervisors.audit.map(({ supervisorId, agentId, callId: id, mode, action }) => ({
      supervisorId,
      agentId,
      callId: id,
      mode,
      action,
    }));
    const who = { supervisorId: 'sam', agentId: 'ana', callId };
    expect(audit).toEqual([
      { ...who, mode: 'listen', action: 'join' },
      { ...who, mode: 'whisper', action: 'mode' },
      { ...who, mode: 'barge', action: 'mode' },
      { ...who, mode: 'barge', action: 'leave' },
    ]);
    const times = desk.supervisors.audit.map((a) => a.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(desk.supervisors.audit.at(-1)?.reason).toBe('left');
    await supervisor.waitForSelector('#audit li:nth-child(4)', { timeout: 5_000 });
    expect(errors).toEqual([]);
  }, 90_000);
});
