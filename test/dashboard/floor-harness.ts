import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCampaign, seededRandom, systemClock } from '@paceline/core';
import type { CampaignMonitor } from '@paceline/dashboard';
import { dashboardPlugin } from '@paceline/dashboard';
import type { TrunkHealth } from '@paceline/engine';
import { EngineSimulation } from '@paceline/sim';
import { basicOutcomeModel, TYPICAL_CONSUMER_LIST } from '@paceline/trunk-sim';
import Fastify from 'fastify';
import type { Page } from 'playwright-core';
import { generateCustomers } from '../../examples/demo/customers';
import { retentionBehaviour, shiftsFor } from '../../examples/demo/retention-day';

export const MANAGER = 'floor-manager-token-0123456789';
export const VIEWER = 'floor-viewer-token-0123456789';

/** A simulated retention day behind a mounted dashboard, driven in virtual time while a test watches. */
export interface FloorHarness {
  readonly sim: EngineSimulation;
  readonly base: string;
  readonly monitor: CampaignMonitor;
  /** The breaker states the dashboard's `trunkHealth` reports (a test flips them). */
  readonly trunks: TrunkHealth[];
  close(): Promise<void>;
}

/** A retention campaign (`Retention — <id>` unless named, us-federal, New York) over simulated customers and 8-hour shifts. */
export async function retentionDay(options: {
  id: string;
  name?: string;
  seed: number;
  startAt: number;
  customers: number;
  agents: number;
}) {
  const campaignInput = {
    id: options.id,
    name: options.name ?? `Retention — ${options.id}`,
    goal: 'retention',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
    pacing: { abandonTarget: 0.03, maxLinesPerAgent: 3 },
  };
  const shifts = shiftsFor(options.agents, options.startAt, 8 * 3_600_000, campaignInput.id);
  const sim = await EngineSimulation.create({
    seed: options.seed,
    startAt: options.startAt,
    campaign: campaignInput,
    contacts: generateCustomers(options.customers, seededRandom(options.seed).split('customers')),
    shifts,
    behaviour: retentionBehaviour(),
    outcomeModel: basicOutcomeModel(TYPICAL_CONSUMER_LIST),
  });
  return { campaignInput, shifts, sim };
}

/**
 * Mount the dashboard over an engine simulation starting at `startAt`, advance virtual time by
 * `stepMs` every 40 ms of wall time until `untilMs` past the start or `close()`.
 */
export async function floorHarness(options: {
  id: string;
  startAt: number;
  stepMs: number;
  untilMs: number;
  agents: number;
}): Promise<FloorHarness> {
  const { campaignInput, shifts, sim } = await retentionDay({
    id: options.id,
    seed: 11,
    startAt: options.startAt,
    customers: 1_500,
    agents: options.agents,
  });
  const trunks: TrunkHealth[] = [{ id: 'carrier-a', breaker: 'closed' }];
  const app = Fastify();
  let monitor: CampaignMonitor | undefined;
  await app.register(dashboardPlugin, {
    prefix: '/dashboard',
    dialer: sim.dialer,
    campaigns: [parseCampaign(campaignInput)],
    tokens: { manager: MANAGER, viewer: VIEWER },
    clock: sim.clock,
    ticker: systemClock(),
    updateEveryMs: 250,
    historyEveryMs: 60_000,
    trunkHealth: () => trunks,
    recordingOf: (callId) => `https://recordings.example.test/${callId}.wav`,
    onReady: (m) => {
      monitor = m;
      // The planned breaks of the shifts: adherence is measured against them.
      for (const shift of shifts) {
        m.floor.agents.planBreaks(
          shift.id,
          (shift.breaks ?? []).map((b) => ({ start: b.at, end: b.at + b.durationMs, label: b.reason })),
        );
      }
    },
  });
  const base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/dashboard`;
  let running = true;
  const driving = (async () => {
    for (let t = options.startAt; running && t < options.startAt + options.untilMs; t += options.stepMs) {
      await sim.runUntil(t);
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  if (!monitor) throw new Error('the dashboard did not hand over its monitor');
  return {
    sim,
    base,
    monitor,
    trunks,
    async close() {
      running = false;
      await driving;
      await app.close();
      await sim.close();
    },
  };
}

/** Screenshots are kept as test artifacts (gitignored); `PACELINE_ARTIFACTS` overrides the folder. */
export const ARTIFACTS = process.env.PACELINE_ARTIFACTS ?? resolve(import.meta.dirname, '../artifacts/dashboard');

/** Save a full-page screenshot of `page` as `name` under {@link ARTIFACTS}. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}
