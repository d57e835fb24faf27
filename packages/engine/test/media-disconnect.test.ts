import { type MediaBridge, seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import { createSimTrunk, type SimCallPlan, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0); // 10:00 in New York
const number = (i: number) => `+1415555${String(3000 + i).padStart(4, '0')}`;

const human: SimCallPlan = { outcome: 'human', ringingAfterMs: 500, resolveAfterMs: 3_000, analysisAfterMs: 800 };
/** Hangs up 1 s after the greeting unless an agent is on the line by then. */
const impatient: SimCallPlan = { ...human, patienceMs: 1_000 };
const busy: SimCallPlan = { outcome: 'busy', ringingAfterMs: 200, resolveAfterMs: 2_000 };

/**
 * The engine's media calls, in order. `connectDelayMs` holds each connect on virtual time;
 * without it the sim trunk's far end hears that an agent took the call (its patience stops).
 */
function recordingMedia(clock: VirtualClock, inner: MediaBridge, connectDelayMs = 0, failDisconnect = false) {
  const calls: string[] = [];
  const media: MediaBridge = {
    connect: async (callId, agentId) => {
      calls.push(`connect ${callId} ${agentId}`);
      if (connectDelayMs) await new Promise<void>((resolve) => clock.setTimer(connectDelayMs, resolve));
      else await inner.connect(callId, agentId);
    },
    disconnect: async (callId) => {
      calls.push(`disconnect ${callId}`);
      if (failDisconnect) throw new Error('media server gone');
    },
    close: async () => {},
  };
  return { media, calls };
}

async function run(plans: Record<string, SimCallPlan>, options: { connectDelayMs?: number; failDisconnect?: boolean } = {}) {
  const clock = new VirtualClock(START);
  const trunk = createSimTrunk({ clock, random: seededRandom(1), model: scriptedOutcomeModel(plans, busy) });
  const { media, calls } = recordingMedia(clock, trunk.media, options.connectDelayMs, options.failDisconnect);
  const errors: string[] = [];
  const logger = { ...silentLogger, error: (o: unknown) => errors.push(String((o as { where?: string }).where)) };
  const dialer = testDialer({
    trunk,
    clock,
    random: seededRandom(2),
    logger,
    media,
  }).dialer;
  const ended: string[] = [];
  dialer.on('ended', (e) => ended.push(`ended ${e.callId}`));
  dialer.on('ended', (e) => calls.push(`ended ${e.callId}`));
  // The agent talks for 3 s, hangs up, wraps up for 2 s and dispositions.
  simulateAgents(dialer, clock, { talkMs: () => 3_000, wrapMs: () => 2_000, disposition: () => ({ code: 'NOT_INTERESTED' }) });
  await dialer.addCampaign({
    id: 'k1',
    name: 'Retention',
    goal: 'retention',
    dialMode: 'progressive',
    complianceProfile: 'us-federal',
    callerId: '+14155550100',
    homeTimeZone: 'America/New_York',
  });
  await dialer.addContacts(
    'k1',
    Object.keys(plans).map((to, i) => ({ id: `c${i}`, phones: [{ number: to }] })),
  );
  dialer.loginAgent({ id: 'a0', name: 'Ana' }, ['k1']);
  dialer.ready('a0');
  await dialer.start('k1');
  await driveUntil(clock, START + 60_000);
  await dialer.close();
  return { calls, ended, errors };
}

describe('the engine tears down the audio path of a connected call when it ends', () => {
  it('calls media.disconnect once, after `ended`, for a connected call, and never for one that was not connected', async () => {
    const { calls } = await run({ [number(0)]: busy, [number(1)]: human });
    const connected = calls.find((c) => c.startsWith('connect '))?.split(' ')[1] ?? '';
    expect(connected).not.toBe('');
    expect(calls.filter((c) => c.startsWith('disconnect '))).toEqual([`disconnect ${connected}`]);
    expect(calls.indexOf(`disconnect ${connected}`)).toBe(calls.indexOf(`ended ${connected}`) + 1);
    expect(calls.filter((c) => c.startsWith('ended '))).toHaveLength(2); // the busy call ended too, with no disconnect
  });

  it('disconnects a call whose caller hung up while the bridge was still connecting', async () => {
    // The callee hangs up 1 s after the greeting; the bridge takes 1.5 s to connect (and succeeds).
    const { calls } = await run({ [number(0)]: impatient }, { connectDelayMs: 1_500 });
    const id = calls.find((c) => c.startsWith('connect '))?.split(' ')[1] ?? '';
    expect(calls).toEqual([`connect ${id} a0`, `ended ${id}`, `disconnect ${id}`]);
  });

  it('disconnects a call abandoned at its deadline while the bridge was still connecting, and never connects it', async () => {
    // The callee waits; the bridge takes 2.5 s, past the 2-second deadline: abandoned, then the late bridge is torn down.
    const { calls } = await run({ [number(0)]: human }, { connectDelayMs: 2_500 });
    const id = calls.find((c) => c.startsWith('connect '))?.split(' ')[1] ?? '';
    expect(id).not.toBe('');
    expect(calls.filter((c) => c.startsWith('disconnect '))).toEqual([`disconnect ${id}`]);
    expect(calls.indexOf(`disconnect ${id}`)).toBeGreaterThan(calls.indexOf(`connect ${id} a0`));
  });

  it('reports a failing disconnect and carries on', async () => {
    const plans = { [number(0)]: human, [number(1)]: human };
    const { calls, ended, errors } = await run(plans, { failDisconnect: true });
    // The agent wrapped up, the next call was dialled and connected, and its end disconnected too.
    expect(ended).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith('disconnect '))).toHaveLength(2);
    expect(errors.filter((where) => where.startsWith('media disconnect '))).toHaveLength(2);
  });
});
