import { type CampaignInput, type Random, seededRandom, silentLogger, VirtualClock } from '@paceline/core';
import {
  type BasicOutcomeParams,
  basicOutcomeModel,
  createSimTrunk,
  type SimDuration,
  sampleDuration,
  TYPICAL_CONSUMER_LIST,
} from '@paceline/trunk-sim';
import { createDialer, createMemoryStore, type Dialer, type PacingDecision } from '../../src/index';
import { simulateAgents } from '../support/agents';
import { driveUntil } from '../support/drive';
import { testCompliance } from '../support/seams';

/** Monday 2026-11-23 00:00 in New York (EST, UTC−5), epoch ms. */
export const NY_MIDNIGHT = Date.UTC(2026, 10, 23, 5, 0);
export const HOUR = 3_600_000;
export const MIN = 60_000;
export const SERVICE_LINE = '+12125550199';

/** One blended engine run on the virtual clock and the sim trunk (issue 23, 23-wire2). */
export interface BlendRunOptions {
  readonly seed: number;
  /** When the campaign is started (epoch ms); the clock starts here. */
  readonly startAt: number;
  /** Run until (epoch ms). */
  readonly until: number;
  readonly agents: number;
  /** Inbound calls per hour (Poisson, flat all day); 0: no inbound arrivals. */
  readonly inboundPerHour: number;
  /** `demand` / `hold`: the dialer takes inbound with that blend model; `none`: a dialer without inbound. */
  readonly model: 'demand' | 'hold' | 'none';
  /** The campaign's daily hours in New York (default none: the calendar day). */
  readonly hours?: { readonly start: string; readonly end: string };
  /** Agents without the service queue's skill: the campaign is not blended (default false). */
  readonly unskilled?: boolean;
  /** The outbound list (default the typical consumer list). */
  readonly outbound?: Partial<BasicOutcomeParams>;
  readonly inboundPatienceMeanMs?: number;
  readonly inboundHandleMeanMs?: number;
  /** 23-router: the inbound handle time's law instead of the exponential of `inboundHandleMeanMs`. */
  readonly inboundHandle?: SimDuration;
  /** 23-router: 24 hourly arrival rates from New York midnight instead of the flat `inboundPerHour`. */
  readonly inboundRatesByHour?: readonly number[];
  readonly outboundTalkMeanMs?: number;
  readonly contacts?: number;
  /** The campaign's abandon cap (default the pacing default 3%). */
  readonly abandonTarget?: number;
  // issue-23 23-bench: what `bench:engine-blend` needs to run bench:blend's scenarios through the engine.
  /** The inbound caller's patience law instead of the exponential of `inboundPatienceMeanMs`. */
  readonly inboundPatience?: SimDuration;
  /** The outbound talk law instead of the exponential of `outboundTalkMeanMs`. */
  readonly outboundTalk?: SimDuration;
  /** The wrap-up law (both flows) instead of 5 s + an exponential of mean 10 s. */
  readonly wrap?: SimDuration;
  /** More campaign pacing settings (maxLinesPerAgent, ringTimeoutMs, …). */
  readonly pacing?: Readonly<Record<string, number>>;
  /** The campaign's dial mode (default predictive). */
  readonly dialMode?: 'predictive' | 'progressive';
  /** More blend settings (with `model`). */
  readonly blend?: Readonly<Record<string, unknown>>;
  /** The first N agents take only inbound (no campaign); the others only the campaign (no skill): a static split. */
  readonly inboundOnlyAgents?: number;
  /** Called with the dialer before the campaign starts, to listen to its events. */
  readonly observe?: (dialer: Dialer) => void;
}

export interface BlendRunResult {
  /** Outbound live answers and abandons of the run, as the store's ledger counts them. */
  readonly liveAnswers: number;
  readonly abandoned: number;
  /** The same, counted from the dialer's events. */
  readonly eventLive: number;
  readonly eventAbandoned: number;
  readonly dials: number;
  readonly inboundOffered: number;
  readonly inboundAnsweredInTarget: number;
  readonly inboundAnswered: number;
  readonly inboundAbandoned: number;
  readonly decisions: { readonly at: number; readonly verdict: PacingDecision }[];
  readonly reasons: ReadonlyMap<string, number>;
}

const exp = (random: Random, mean: number) => -Math.log(1 - random.next()) * mean;

export async function runBlendDay(o: BlendRunOptions): Promise<BlendRunResult> {
  const clock = new VirtualClock(o.startAt);
  const store = createMemoryStore();
  const dayStart = NY_MIDNIGHT + Math.floor((o.startAt - NY_MIDNIGHT) / (24 * HOUR)) * 24 * HOUR;
  const trunk = createSimTrunk({
    clock,
    random: seededRandom(o.seed),
    model: basicOutcomeModel({ ...TYPICAL_CONSUMER_LIST, ...o.outbound }),
    maxChannels: 500,
    ...(o.model !== 'none' && (o.inboundPerHour > 0 || o.inboundRatesByHour !== undefined)
      ? {
          inbound: {
            profile: o.inboundRatesByHour
              ? { dayStartMs: dayStart, intervalMs: HOUR, ratesPerHour: [...o.inboundRatesByHour] }
              : { dayStartMs: dayStart, intervalMs: 24 * HOUR, ratesPerHour: [o.inboundPerHour] },
            patience: o.inboundPatience ?? { kind: 'exponential', meanMs: o.inboundPatienceMeanMs ?? 90_000 },
            handleTime: o.inboundHandle ?? { kind: 'exponential', meanMs: o.inboundHandleMeanMs ?? 180_000 },
          },
        }
      : {}),
  });
  const dialer = createDialer({
    trunk,
    media: trunk.media,
    clock,
    store,
    random: seededRandom(o.seed + 1),
    logger: silentLogger,
    compliance: testCompliance(),
    tickIntervalMs: 1_000,
    ...(o.model === 'none'
      ? {}
      : {
          inbound: {
            queues: [{ id: 'service', numbers: [SERVICE_LINE], skills: ['service'], serviceLevel: { fraction: 0.8, answerSeconds: 20 } }],
            blend: { ...o.blend, inboundModel: o.model },
          },
        }),
  });
  o.observe?.(dialer);
  const decisions: { at: number; verdict: PacingDecision }[] = [];
  const reasons = new Map<string, number>();
  let eventLive = 0;
  let eventAbandoned = 0;
  let inboundAnswered = 0;
  let inboundAnsweredInTarget = 0;
  let inboundAbandoned = 0;
  dialer.on('pacingDecision', ({ at, verdict }) => {
    decisions.push({ at, verdict });
    reasons.set(verdict.reason, (reasons.get(verdict.reason) ?? 0) + 1);
  });
  dialer.on('abandoned', () => {
    eventLive++;
    eventAbandoned++;
  });
  dialer.on('connected', () => eventLive++);
  const agentRandom = seededRandom(o.seed + 2);
  const wrapMs = () => (o.wrap ? sampleDuration(o.wrap, agentRandom) : 5_000 + exp(agentRandom, 10_000));
  simulateAgents(dialer, clock, {
    talkMs: () => (o.outboundTalk ? sampleDuration(o.outboundTalk, agentRandom) : exp(agentRandom, o.outboundTalkMeanMs ?? 120_000)),
    wrapMs,
    disposition: () => ({ code: 'NOT_INTERESTED' }),
  });
  dialer.on('inbound.connected', ({ waitMs }) => {
    inboundAnswered++;
    if (waitMs <= 20_000) inboundAnsweredInTarget++;
  });
  dialer.on('inbound.abandoned', () => inboundAbandoned++);
  dialer.on('inbound.ended', ({ callId, agentId }) => {
    if (agentId === undefined) return;
    clock.setTimer(wrapMs(), () => void dialer.inbound?.disposition(callId, 'DONE').catch(() => {}));
  });
  const campaign = {
    id: 'k1',
    name: 'k1',
    goal: 'retention',
    dialMode: o.dialMode ?? 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
    pacing: { ...o.pacing, abandonTarget: o.abandonTarget ?? 0.03 },
    ...(o.hours ? { schedule: { hours: o.hours } } : {}),
  } as CampaignInput;
  await dialer.addCampaign(campaign);
  const n = o.contacts ?? 20_000;
  await dialer.addContacts(
    'k1',
    Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      phones: [{ number: `+1212${String(2_000_000 + i).padStart(7, '0')}` }],
      state: 'NY',
    })),
  );
  for (let i = 0; i < o.agents; i++) {
    const id = `a${i}`;
    const inboundOnly = i < (o.inboundOnlyAgents ?? 0);
    const skills = o.unskilled || (o.inboundOnlyAgents !== undefined && !inboundOnly) ? ['sales'] : ['service'];
    dialer.loginAgent({ id, name: id, skills }, inboundOnly ? [] : ['k1']);
    dialer.ready(id);
  }
  await dialer.start('k1');
  await driveUntil(clock, o.until);
  const counts = await store.countLiveAnswers('k1', 0, o.until + 1);
  const inboundOffered = trunk.inboundStats.offered;
  const status = await dialer.status('k1');
  await dialer.close();
  return {
    ...counts,
    eventLive,
    eventAbandoned,
    dials: status.dials,
    inboundOffered,
    inboundAnswered,
    inboundAnsweredInTarget,
    inboundAbandoned,
    decisions,
    reasons,
  };
}
