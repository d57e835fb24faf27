import { seededRandom, VirtualClock } from '@paceline/core';
import { parseScript, type ScriptingHooks, type ScriptRun } from '@paceline/scripting';
import { createSimTrunk, scriptedOutcomeModel } from '@paceline/trunk-sim';
import { describe, expect, it } from 'vitest';
import type { DialerEvents } from '../src/index';
import { simulateAgents } from './support/agents';
import { driveUntil } from './support/drive';
import { testDialer } from './support/test-dialer';

const START = Date.UTC(2026, 10, 23, 15, 0);
const fallbackScript = parseScript({
  id: 'fallback',
  name: 'Fallback',
  start: 'hello',
  steps: [
    { id: 'hello', kind: 'say', text: 'Hello {{firstName|there}}, thanks for taking the call.', next: 'end' },
    { id: 'end', kind: 'end', disposition: 'NO_DECISION' },
  ],
});
const tailored = parseScript({ ...fallbackScript, id: 'tailored', name: 'Tailored' });

function setup(hooks: ScriptingHooks, agents: Array<{ id: string; skills?: string[] }> = [{ id: 'a0' }]) {
  const clock = new VirtualClock(START);
  const trunk = createSimTrunk({
    clock,
    random: seededRandom(1),
    model: scriptedOutcomeModel({}, { outcome: 'human', resolveAfterMs: 3_000, analysisAfterMs: 1_000 }),
  });
  const dialer = testDialer({
    trunk,
    clock,
    scripting: { hooks, fallbackScript, budgetsMs: { onConnect: 500, beforeDial: 100 } },
  }).dialer;
  const seen: { [K in keyof DialerEvents]?: DialerEvents[K][0][] } = {};
  for (const name of ['connected', 'scriptReady', 'hookFailed', 'dispositioned'] as const) {
    const list: unknown[] = [];
    (seen as Record<string, unknown[]>)[name] = list;
    dialer.on(name, (e: unknown) => list.push(e));
  }
  const start = async (contacts = 1) => {
    await dialer.addCampaign({
      id: 'k1',
      name: 'k',
      goal: 'retention',
      dialMode: 'progressive',
      complianceProfile: 'us-federal',
      callerId: '+14155550100',
      homeTimeZone: 'UTC',
    });
    await dialer.addContacts(
      'k1',
      Array.from({ length: contacts }, (_, i) => ({ id: `c${i}`, phones: [{ number: `+1415555${String(1000 + i)}` }] })),
    );
    for (const a of agents) {
      dialer.loginAgent({ id: a.id, name: a.id, skills: a.skills ?? [] }, ['k1']);
      dialer.ready(a.id);
    }
    await dialer.start('k1');
  };
  return { clock, dialer, seen, start };
}

describe('scripting hooks in the engine', () => {
  it('gives the agent the hook’s script, profile and offers after the connect', async () => {
    const { clock, seen, start } = setup({ onConnect: async () => ({ script: tailored, offers: [] }) });
    await start();
    await driveUntil(clock, START + 30_000);
    expect(seen.connected).toHaveLength(1);
    expect(seen.scriptReady?.[0]).toMatchObject({ fallback: false, callId: seen.connected?.[0]?.callId });
    expect(seen.scriptReady?.[0]?.script.id).toBe('tailored');
  });

  it('a late onConnect never delays the live call: connected at once, fallback script after the budget', async () => {
    const { clock, seen, start } = setup({ onConnect: () => new Promise(() => {}) });
    await start();
    await driveUntil(clock, START + 30_000);
    expect(seen.connected?.[0]?.latencyMs).toBe(0);
    expect(seen.scriptReady?.[0]).toMatchObject({ fallback: true });
    expect(seen.scriptReady?.[0]?.script.id).toBe('fallback');
    expect(seen.hookFailed?.[0]?.failure).toMatchObject({ hook: 'onConnect', reason: 'timeout' });
  });

  it('a throwing onConnect gives the fallback and is reported', async () => {
    const { clock, seen, start } = setup({
      onConnect: () => {
        throw new Error('CRM down');
      },
    });
    await start();
    await driveUntil(clock, START + 30_000);
    expect(seen.connected).toHaveLength(1);
    expect(seen.scriptReady?.[0]?.fallback).toBe(true);
    expect(seen.hookFailed?.[0]?.failure).toMatchObject({ hook: 'onConnect', reason: 'threw' });
  });

  it('beforeDial can skip a contact until later, and routes live answers to skilled agents', async () => {
    const { clock, dialer, seen, start } = setup(
      {
        beforeDial: ({ contact, now }) =>
          contact.id === 'c0'
            ? { action: 'skip', reason: 'in arrears', retryAt: now + 3_600_000 }
            : { action: 'dial', requiredSkills: ['retention-specialist'] },
      },
      [{ id: 'generalist' }, { id: 'specialist', skills: ['retention-specialist'] }],
    );
    simulateAgents(dialer, clock, { talkMs: () => 10_000, wrapMs: () => 1_000, disposition: () => ({ code: 'SAVED' }) });
    await start(2);
    await driveUntil(clock, START + 60_000);
    const connected = seen.connected ?? [];
    expect(connected.map((o) => o.contact.id)).toEqual(['c1']);
    expect(connected[0]?.agentId).toBe('specialist');
  });

  it('passes captured profile updates to onDisposition, then runs afterCall', async () => {
    const calls: string[] = [];
    const { clock, dialer, start } = setup({
      onDisposition: (e) => {
        calls.push(`disposition:${e.code}:${JSON.stringify(e.captured)}:${e.campaignId}/${e.contactId}/${e.agentId}:${e.run?.stepId}`);
      },
      afterCall: (e) => {
        calls.push(`after:${e.callId === undefined ? '' : 'ok'}:${e.callId === e.attempt.id}:${e.run?.stepId}`);
      },
    });
    simulateAgents(dialer, clock, {
      talkMs: () => 5_000,
      wrapMs: () => 1_000,
      // tidy9: the script run is handed through to both hooks as it is
      disposition: () => ({
        code: 'SAVED',
        data: { captured: { email: 'ana@example.com' }, run: { stepId: 'end' } as unknown as ScriptRun },
      }),
    });
    await start();
    await driveUntil(clock, START + 60_000);
    expect(calls).toEqual(['disposition:SAVED:{"email":"ana@example.com"}:k1/c0/a0:end', 'after:ok:true:end']);
  });
});
