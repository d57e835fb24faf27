import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { AgentDesk, AgentDeskOptions } from '../../../examples/agent-desk/server';
import { openRtpSink, type RtpSink } from '../../../packages/trunk-sip/test/support/rtp-sink';
import { type SippPeer, startSipp } from '../../../packages/trunk-sip/test/support/sipp';
import { writeTalkWav } from '../../../packages/trunk-sip/test/support/talk';
import { launchChromium } from '../../support/chromium';
import { fakeMicrophone } from './browser-media';
import { writeToneWav } from './tone';

/** The agent's fake microphone and the supervisor's: two tones 50 Hz-bin aligned for 160-sample frames. */
export const AGENT_HZ = 500;
export const SUPERVISOR_HZ = 1_400;

/** A supervised call's parts: the desk (one customer, called over SIPp), two Chromiums, what the caller hears. */
export interface SupervisedCall {
  readonly desk: AgentDesk;
  /** The agent's browser: its fake microphone plays {@link AGENT_HZ}. */
  readonly agentBrowser: Browser;
  /** The supervisor's browser: its fake microphone plays {@link SUPERVISOR_HZ}. */
  readonly supervisorBrowser: Browser;
  /** SIPp's RTP sink: what the caller hears. */
  readonly callerEar: RtpSink;
  /** Stops everything started (also what a failed start had started). */
  close(): Promise<void>;
}

/**
 * SIPp as the caller (talking, its RTP sent to {@link SupervisedCall.callerEar}), the agent-desk
 * example dialling it (one contact; `desk` adds options such as a dashboard), and two headless
 * Chromiums with tone microphones, in a temporary folder named after `prefix`.
 */
export async function startSupervisedCall(
  prefix: string,
  desk: Omit<AgentDeskOptions, 'port' | 'contacts' | 'sip'> = {},
): Promise<SupervisedCall> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const parts: { desk?: AgentDesk; sipp?: SippPeer; callerEar?: RtpSink; browsers?: Browser[] } = {};
  const close = async () => {
    for (const browser of parts.browsers ?? []) await browser.close();
    await parts.desk?.close();
    await parts.sipp?.stop();
    await parts.callerEar?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeTalkWav(dir);
    writeToneWav(join(dir, 'agent.wav'), AGENT_HZ);
    writeToneWav(join(dir, 'supervisor.wav'), SUPERVISOR_HZ);
    const callerEar = await openRtpSink();
    parts.callerEar = callerEar;
    const sipp = await startSipp('talk.xml', dir, undefined, ['-set', 'rtp_sink', String(callerEar.port)]);
    parts.sipp = sipp;
    const { startAgentDesk } = await import('../../../examples/agent-desk/server');
    const started = await startAgentDesk({ ...desk, port: 0, contacts: 1, sip: { host: '127.0.0.1', port: sipp.port } });
    parts.desk = started;
    const [agentBrowser, supervisorBrowser] = await Promise.all([
      launchChromium(fakeMicrophone(dir, 'agent.wav')),
      launchChromium(fakeMicrophone(dir, 'supervisor.wav')),
    ]);
    parts.browsers = [agentBrowser, supervisorBrowser];
    return { desk: started, agentBrowser, supervisorBrowser, callerEar, close };
  } catch (error) {
    await close();
    throw error;
  }
}
