import { type InboundConfigInput, seededRandom, VirtualClock } from '@paceline/core';
import { createMemoryStore, type Dialer, INBOUND_EVENTS } from '@paceline/engine';
import { parseScript, type ScriptRun } from '@paceline/scripting';
import { describe, expect, it } from 'vitest';
import { driveUntil } from '../../packages/engine/test/support/drive';
import { inboundDialer } from '../../packages/engine/test/support/inbound-dialer';
import { newYorkContact, progressiveCampaign } from '../support/campaign';
import { withInbound } from './support/inbound-test-trunk';

const START = Date.UTC(2026, 10, 23, 15, 0); // Monday 10:00 in New York
const CALLER_ID = '+12125550100';
const SERVICE_LINE = '+12125550199';
const CUSTOMER = '+12125550123';

const fallbackScript = parseScript({
  id: 'fallback',
  name: 'Fallback',
  start: 'hello',
  steps: [
    { id: 'hello', kind: 'say', text: 'Hello {{firstName|there}}.', next: 'end' },
    { id: 'end', kind: 'end', disposition: 'NO_DECISION' },
  ],
});
const winback = parseScript({ ...fallbackScript, id: 'winback-script', name: 'Win-back' });

const QUEUES: InboundConfigInput = {
  queues: [
    { id: 'service', numbers: [SERVICE_LINE], skills: ['service'], scriptId: 'service-script' },
    { id: 'backup', skills: [] },
  ],
};

function setup(options: { inbound?: InboundConfigInput; outcome?: 'no-answer' | 'human'; seed?: number } = {}) {
  const clock = new VirtualClock(START);
  const random = seededRandom(options.seed ?? 7);
  const store = createMemoryStore();
  // tidy9: what the disposition hooks were given, in order (a returned call runs its campaign's).
  const hooked: { hook: string; event: object }[] = [];
  const { dialer, trunk, seen } = inboundDialer({
    clock,
    trunkRandom: random.split('trunk'),
    plan: { outcome: options.outcome ?? 'no-answer', resolveAfterMs: 4_000, ringingAfterMs: 500, analysisAfterMs: 1_000 },
    trunk: (sim) => withInbound(sim, clock),
    store,
    random: random.split('engine'),
    inbound: options.inbound ?? QUEUES,
    record: ['dialed', 'abandoned', 'scriptReady', 'agentStateChanged', 'error', ...INBOUND_EVENTS],
    scripting: {
      fallbackScript,
      hooks: {
        // The host's CRM: the campaign's script with the contact's profile (the same hook as outbound).
        onConnect: async (offer) => ({
          script: winback,
          profile: {
            customerId: offer.contact.id,
            firstName: offer.contact.firstName ?? 'there',
            tenureMonths: Number(offer.contact.profile.tenure ?? 0),
            monthlySpendMinor: 0,
            productsHeld: [],
            lifecycleStage: 'win-back',
            churnRisk: 0.4,
            valueTier: offer.contact.profile.tier === 'gold' ? 'gold' : 'silver',
            lastContacts: [],
            attributes: { ...offer.contact.profile },
          },
          offers: [],
        }),
        onDisposition: (event) => void hooked.push({ hook: 'onDisposition', event }),
        afterCall: (event) => void hooked.push({ hook: 'afterCall', event }),
      },
    },
  });
  return { clock, trunk, dialer, store, seen, hooked };
}

async function addCampaign(
  dialer: Dialer,
  id: string,
  callerId: string,
  contacts: { id: string; phone: string; profile?: Record<string, string | number> }[],
) {
  await dialer.addCampaign(progressiveCampaign(id, { callerId, scriptId: `${id}-script`, schedule: { endAt: START + 3 * 86_400_000 } }));
  await dialer.addContacts(
    id,
    contacts.map((c) => newYorkContact(c.id, c.phone, { firstName: 'Ana', profile: c.profile ?? {} })),
  );
}

describe('inbound calls (e2e, virtual time)', () => {
  it('a customer returns a missed call and reaches the campaign script with their profile; the attempt ledger records it', async () => {
    const { dialer, trunk, store, seen, clock, hooked } = setup();
    await addCampaign(dialer, 'winback', CALLER_ID, [{ id: 'c1', phone: CUSTOMER, profile: { tenure: 7, tier: 'gold' } }]);
    const events = { queued: seen['inbound.queued'], connected: seen['inbound.connected'], scripts: seen.scriptReady, dialed: seen.dialed };
    dialer.loginAgent({ id: 'ana', name: 'Ana', skills: ['service'] }, ['winback']);
    dialer.ready('ana');
    await dialer.start('winback');
    await driveUntil(clock, START + 60_000); // the campaign rang the customer: no answer
    expect(events.dialed.map((d) => d.attempt.phone)).toEqual([CUSTOMER]);
    expect(trunk.accepted.has(CALLER_ID)).toBe(true);

    const callId = trunk.call(CUSTOMER, CALLER_ID) as string; // the number on the customer's screen
    await driveUntil(clock, clock.now() + 5_000);
    expect(trunk.answered.has(callId)).toBe(true);
    expect(events.queued[0]).toMatchObject({
      callId,
      queueId: 'service',
      caller: { kind: 'returned', campaignId: 'winback', contactId: 'c1' },
    });
    const [offer] = events.connected;
    expect(offer).toMatchObject({ callId, agentId: 'ana', scriptId: 'winback-script', caller: { kind: 'returned' } });
    expect(offer?.contact?.profile).toMatchObject({ tenure: 7, tier: 'gold' });
    const script = events.scripts.find((s) => s.callId === callId);
    expect(script).toMatchObject({ campaignId: 'winback', agentId: 'ana', fallback: false });
    expect(script?.script.id).toBe('winback-script');
    expect(script?.profile).toMatchObject({
      customerId: 'c1',
      tenureMonths: 7,
      valueTier: 'gold',
      attributes: { tenure: 7, tier: 'gold' },
    });

    const run = { stepId: 'end', status: 'ended' } as unknown as ScriptRun; // tidy9: handed through to the hooks as it is
    const captured = { email: 'ana@example.com' };
    clock.setTimer(90_000, () => void dialer.disposition(callId, 'SAVED', { captured, run }));
    await driveUntil(clock, clock.now() + 120_000);
    const ledger = await store.listAttempts('winback', 'c1');
    const inbound = ledger.find((a) => a.direction === 'inbound');
    expect(inbound).toMatchObject({ agentId: 'ana', dispositionCode: 'SAVED', phone: CUSTOMER, callerId: CALLER_ID, outcome: 'human' });
    // tidy9: the campaign's onDisposition then afterCall, as on an outbound call (the inbound call's id, the contact's attempt)
    const ref = { campaignId: 'winback', callId, contactId: 'c1', agentId: 'ana' };
    expect(hooked).toEqual([
      {
        hook: 'onDisposition',
        event: { ...ref, code: 'SAVED', attempt: expect.objectContaining({ direction: 'inbound' }), captured, run },
      },
      { hook: 'afterCall', event: { ...ref, attempt: expect.objectContaining({ direction: 'inbound' }), run } },
    ]);
    expect((await store.getContact('winback', 'c1'))?.state).toBe('done'); // saved on the call: not dialled again
    expect(seen.agentStateChanged.filter((e) => e.agentId === 'ana').at(-1)?.to).toBe('ready');
    expect(seen.error).toEqual([]);
    await dialer.close();
  });

  it('an unknown or withheld caller gets the service script, and no campaign script runs', async () => {
    const { dialer, trunk, seen, clock } = setup();
    await addCampaign(dialer, 'winback', CALLER_ID, [{ id: 'c1', phone: CUSTOMER }]);
    dialer.loginAgent({ id: 'bo', name: 'Bo', skills: ['service'] }, []);
    dialer.ready('bo');
    const unknown = trunk.call('+12125550777', SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 5_000);
    const withheld = trunk.call(undefined, SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 5_000);
    expect(seen['inbound.connected'].map((o) => [o.callId, o.caller.kind, o.scriptId])).toEqual([[unknown, 'service', 'service-script']]);
    expect(seen['inbound.queued'].map((q) => q.callId)).toEqual([unknown, withheld]);
    await dialer.disposition(unknown, 'RESOLVED');
    await driveUntil(clock, clock.now() + 5_000);
    expect(seen['inbound.connected'].map((o) => [o.callId, o.caller.kind, o.scriptId])).toContainEqual([
      withheld,
      'service',
      'service-script',
    ]);
    expect(seen.scriptReady).toHaveLength(0);
    expect(trunk.call(CUSTOMER, '+12125550000')).toBeUndefined(); // a number nobody answers never reaches the engine
    expect(seen.error).toEqual([]);
    await dialer.close();
  });

  it('a queue abandon is counted in the queue, apart from the outbound abandon rate; messages play while waiting; overflow moves the caller', async () => {
    const inbound: InboundConfigInput = {
      queues: [
        {
          id: 'service',
          numbers: [SERVICE_LINE],
          skills: ['service'],
          serviceLevel: { fraction: 0.8, answerSeconds: 20 },
          messages: [{ afterSeconds: 10, messageId: 'all-agents-busy', everySeconds: 15 }],
          overflow: { afterSeconds: 45, queueId: 'backup' },
        },
        { id: 'backup', numbers: [], skills: ['backup'] },
      ],
    };
    const { dialer, trunk, seen, clock } = setup({ inbound, outcome: 'human' });
    await addCampaign(dialer, 'winback', CALLER_ID, [{ id: 'c1', phone: CUSTOMER }]);
    const gone = trunk.call('+12125550555', SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 30_000);
    trunk.callerHangsUp(gone); // nobody logged in: the caller gives up after 30 s
    await driveUntil(clock, clock.now() + 1_000);
    expect(trunk.inboundMessages.get(gone)).toEqual(['all-agents-busy', 'all-agents-busy']); // at 10 s and 25 s
    const [abandon] = seen['inbound.abandoned'];
    expect(abandon).toMatchObject({ callId: gone, queueId: 'service' });
    expect(abandon?.waitMs).toBeGreaterThanOrEqual(30_000);
    const status = dialer.inbound?.status();
    expect(status?.queues.find((q) => q.queueId === 'service')).toMatchObject({ abandoned: 1, answered: 0, serviceLevel: 0, waiting: 0 });
    const campaign = await dialer.status('winback');
    expect([campaign.abandoned, campaign.liveAnswers, campaign.abandonRate]).toEqual([0, 0, 0]);
    expect(seen.abandoned).toHaveLength(0);

    // A second caller overflows to the backup queue after 45 s and is answered there.
    const patient = trunk.call('+12125550556', SERVICE_LINE) as string;
    await driveUntil(clock, clock.now() + 50_000);
    expect(seen['inbound.queued'].filter((q) => q.callId === patient).map((q) => [q.queueId, q.from])).toEqual([
      ['service', undefined],
      ['backup', 'service'],
    ]);
    dialer.loginAgent({ id: 'cy', name: 'Cy', skills: ['backup'] }, []);
    dialer.ready('cy');
    await driveUntil(clock, clock.now() + 1_000);
    const connected = seen['inbound.connected'].find((o) => o.callId === patient);
    expect(connected).toMatchObject({ queueId: 'backup', agentId: 'cy' });
    expect(connected?.waitMs).toBeGreaterThan(45_000);
    const backup = dialer.inbound?.status().queues.find((q) => q.queueId === 'backup');
    expect(backup).toMatchObject({ answered: 1, answeredWithinTarget: 0, abandoned: 0 });
    expect(dialer.inbound?.status().queues.find((q) => q.queueId === 'service')?.overflowed).toBe(1);
    expect(seen.error).toEqual([]);
    await dialer.close();
  });
});
