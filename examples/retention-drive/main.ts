/**
 * `pnpm start`: a telecom retention drive on the simulator. The real engine dials a list of
 * customers who asked to cancel; each live answer gets the save-desk script with the
 * customer's profile and the offers that suit them, ranked by expected value (the acceptance
 * rates are learned on the day, Thompson sampling); simulated agents follow the script and
 * disposition the call. At the end: the scorecard.
 */
import { type Attempt, type Order, parseContact, seededRandom } from '@paceline/core';
import type { DispositionData } from '@paceline/engine';
import {
  AcceptanceModel,
  type AgentSession,
  advanceScript,
  type ConnectResult,
  computeScorecard,
  createOnConnect,
  learnFromOfferResponses,
  type OfferOutcome,
  parseProfile,
  routeBySkills,
  type ScriptRun,
  scriptPrompt,
  startScript,
} from '@paceline/scripting';
import { EngineSimulation } from '@paceline/sim';
import { basicOutcomeModel } from '@paceline/trunk-sim';
import { catalog, customers, fallbackScript, loadProfile, PRICE_MINOR, routing, saveDesk, TRUE_ACCEPTANCE } from './drive';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 24, 14, 0); // Tuesday 09:00 in New York
const seed = Number(process.env.SEED ?? 11);
const random = seededRandom(seed);
const list = customers(800, random.split('list')).map((c) => parseContact(c));
const byId = new Map(list.map((c) => [c.id, c]));
const model = new AcceptanceModel();

/** What happened on each call, by call id, as the agent walked the script. */
const calls = new Map<string, { run: ScriptRun; code: string; soldOfferId?: string }>();
const offerOutcomes: OfferOutcome[] = [];

const sim = await EngineSimulation.create({
  seed,
  startAt: START,
  campaign: {
    id: 'retention',
    name: 'Mobile retention — save desk',
    goal: 'retention',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
  },
  contacts: list,
  scripting: {
    fallbackScript,
    hooks: {
      beforeDial: ({ contact }) => ({ action: 'dial', requiredSkills: routeBySkills(parseProfile(loadProfile(contact)), routing).skills }),
      onConnect: createOnConnect({
        loadProfile,
        script: saveDesk,
        catalog,
        model,
        strategy: 'thompson',
        random: random.split('offers'),
        routing,
      }),
      onOfferResponse: learnFromOfferResponses(model),
    },
  },
  shifts: Array.from({ length: 10 }, (_, i) => ({
    id: i < 3 ? `specialist-${i + 1}` : `agent-${i - 2}`,
    name: i < 3 ? `Specialist ${i + 1}` : `Agent ${i - 2}`,
    campaignIds: ['retention'],
    loginAt: START,
    logoutAt: START + 8 * HOUR,
    breaks: [{ at: START + (3 + (i % 3) * 0.5) * HOUR, durationMs: 30 * 60_000, reason: 'lunch' }],
  })),
  behaviour: {
    talkMs: (_offer, r) => 120_000 + r.int(240_000),
    wrapMs: (_offer, r) => 20_000 + r.int(30_000),
    disposition: (offer) => {
      const done = calls.get(offer.callId);
      if (!done) return { code: 'NO_DECISION' };
      const data: DispositionData = { run: done.run, captured: done.run.captured };
      if (done.code === 'SALE' && done.soldOfferId) {
        const price = PRICE_MINOR[done.soldOfferId] ?? 0;
        return {
          code: 'SALE',
          data: {
            ...data,
            order: {
              items: [{ sku: done.soldOfferId, name: done.soldOfferId, quantity: 1, unitPriceMinor: price }],
              currency: 'USD',
              fulfilment: { kind: 'pickup', locationId: 'store-midtown' },
              payment: 'on-delivery',
            },
          },
        };
      }
      return { code: done.code, data };
    },
  },
  outcomeModel: basicOutcomeModel({
    human: 0.35,
    machine: 0.15,
    busy: 0.07,
    failed: 0.03,
    invalid: 0.02,
    answerDelayMeanMs: 9_000,
    failureDelayMeanMs: 4_000,
    analysisMs: 1_500,
    amdFalseMachine: 0.03,
    amdFalseHuman: 0.08,
    patienceMeanMs: 6_000,
  }),
});

// The agents follow the script the hook gave them: the customer tells the truth about why
// they want to leave, takes an offer with its (hidden) true probability, and gives an email.
const answers = random.split('customers');
sim.dialer.on('scriptReady', (ready) => void followScript(ready));

async function followScript(ready: ConnectResult & { callId: string; agentId: string; campaignId: string }): Promise<void> {
  const attempt = (await sim.store.getAttempt(ready.callId)) as Attempt;
  const contact = byId.get(attempt.contactId);
  if (!contact) return;
  let run = startScript(ready.script, {
    profile: ready.profile ?? parseProfile(loadProfile(contact)),
    offers: ready.offers,
    agentName: ready.agentId,
  });
  let soldOfferId: string | undefined;
  while (run.status === 'running') {
    const prompt = scriptPrompt(run);
    if (prompt.kind === 'say') run = advanceScript(run, { kind: 'continue' });
    else if (prompt.kind === 'ask') {
      const value = String(contact.profile.cancellationReason ?? 'price');
      run = advanceScript(run, { kind: 'answer', value });
      await sim.dialer.scriptAnswer(ready.callId, { stepId: prompt.stepId, answer: value, run });
    } else if (prompt.kind === 'offer') {
      const accepted = answers.next() < (TRUE_ACCEPTANCE[prompt.offer.offer.id] ?? 0);
      run = advanceScript(run, { kind: 'offer-response', accepted });
      const response = run.offerResponses.at(-1);
      if (response) {
        await sim.dialer.offerResponse(ready.callId, response);
        offerOutcomes.push({ attemptId: ready.callId, offerId: response.offerId, kind: response.kind, accepted });
        if (accepted && response.kind !== 'retention') soldOfferId = response.offerId;
      }
    } else if (prompt.kind === 'capture') {
      run = advanceScript(run, { kind: 'capture', values: { 'profile.email': `${contact.id}@example.com` } });
    } else break;
  }
  const end = scriptPrompt(run);
  const code = end.kind === 'end' || end.kind === 'transfer' ? (end.disposition ?? 'NO_DECISION') : 'NO_DECISION';
  calls.set(ready.callId, { run, code, ...(soldOfferId ? { soldOfferId } : {}) });
}

const wrapEndedAt = new Map<string, number>();
const orders: Order[] = [];
const sessions: AgentSession[] = [];
const loginAt = new Map<string, number>();
sim.dialer.on('dispositioned', (e) => wrapEndedAt.set(e.callId, sim.clock.now()));
sim.dialer.on('orderCreated', (e) => orders.push(e.order));
sim.dialer.on('agentStateChanged', (e) => {
  if (e.from === 'logged-out') loginAt.set(e.agentId, e.at);
  if (e.to === 'logged-out')
    sessions.push({ agentId: e.agentId, campaignId: 'retention', loginAt: loginAt.get(e.agentId) ?? e.at, logoutAt: e.at });
});

await sim.runUntil(START + 8.5 * HOUR);
await sim.close();

const attempts = (await Promise.all(list.map((c) => sim.store.listAttempts('retention', c.id)))).flat();
const card = computeScorecard(
  {
    attempts: attempts.map((a) => ({ ...a, ...(wrapEndedAt.has(a.id) ? { wrapEndedAt: wrapEndedAt.get(a.id) as number } : {}) })),
    orders,
    offerOutcomes,
    sessions,
  },
  { timeZone: 'America/New_York' },
);

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const o = card.overall;
console.log('\nRetention drive — one day, 10 agents (3 retention specialists), 800 customers\n');
console.log(
  `  attempts ${o.attempts}   live contacts ${o.liveAnswers}   contact rate ${pct(o.contactRate)}   abandon rate ${pct(o.abandonRate)}`,
);
console.log(`  saves ${o.saves} (save rate ${pct(o.saveRate)})   sales ${o.sales}   conversion ${pct(o.conversion)}`);
console.log(`  cross-sell: ${o.crossSellAccepted} of ${o.crossSellOffered} offers taken (${pct(o.crossSellTakeRate)})`);
console.log(
  `  revenue ${
    Object.entries(o.revenueMinor)
      .map(([cur, v]) => `${(v / 100).toFixed(2)} ${cur}`)
      .join(', ') || '0'
  }`,
);
console.log(
  `  AHT ${o.ahtMs === null ? '—' : `${(o.ahtMs / 1000).toFixed(0)} s`}   occupancy ${pct(o.occupancy)}   first-contact resolution ${pct(o.firstContactResolution)}`,
);
console.log('\n  agent            handled  saves  sales  other  score  (a sale counts as 5 handled contacts)');
for (const [id, a] of Object.entries(card.agents).sort((x, y) => y[1].score - x[1].score)) {
  console.log(
    `  ${id.padEnd(16)} ${String(a.handled).padStart(7)}  ${String(a.saves).padStart(5)}  ${String(a.sales).padStart(5)}  ${String(a.otherContacts).padStart(5)}  ${String(a.score).padStart(5)}`,
  );
}
console.log('\n  offers made on the day (the model learned their acceptance as it went):');
for (const offer of catalog.offers) {
  const mine = offerOutcomes.filter((x) => x.offerId === offer.id);
  const taken = mine.filter((x) => x.accepted).length;
  console.log(
    `  ${offer.id.padEnd(16)} offered ${String(mine.length).padStart(4)}  taken ${pct(mine.length ? taken / mine.length : null).padStart(6)}  (true rate ${pct(TRUE_ACCEPTANCE[offer.id] ?? 0)})`,
  );
}
