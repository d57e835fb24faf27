/**
 * `pnpm demo`: a retention drive on the embedded default (no Redis, no network). A generated
 * list of customers, simulated agents on shifts, one 8-hour day in accelerated virtual time
 * with predictive pacing; a live view in the terminal, then the KPIs and demo-report.html.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentState, seededRandom } from '@paceline/core';
import { type DaySample, renderHtmlReport } from '@paceline/dashboard';
import { EngineSimulation } from '@paceline/sim';
import { basicOutcomeModel, TYPICAL_CONSUMER_LIST } from '@paceline/trunk-sim';
import logUpdate from 'log-update';
import { runBlendedDay } from './blended-day';
import { generateCustomers } from './customers';
import { retentionBehaviour, shiftsFor } from './retention-day';
import { renderKpis, renderLive } from './terminal-view';

const HELP = `pnpm demo [-- options]

A retention drive on the embedded default: generated customers, simulated agents, one
8-hour day on virtual time, predictive pacing under the 3% abandon cap.

Options:
  --agents N       agents on shift (default 12)
  --contacts N     customers in the list (default 2000)
  --seed N         random seed; the same seed replays the same day (default 7)
  --speed X        virtual seconds per wall second (default 640: the day in ~45 s)
  --pacer P        predictive | progressive | power | preview (default predictive)
  --html FILE      where to write the report (default demo-report.html)
  --blend          a blended day: inbound service and returned calls into the same agents
                   (queue, service level, waiting callers live; the blend keeps agents free)
  --no-live        no live view (plain output; implied when stdout is not a terminal)
  -h, --help       this help
`;

const PACERS = ['predictive', 'progressive', 'power', 'preview'] as const;

function fail(message: string): never {
  console.error(`pnpm demo: ${message}\nRun \`pnpm demo -- --help\` for the options.`);
  process.exit(2);
}

function positiveInt(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) fail(`--${name}: expected a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: {
        agents: { type: 'string' },
        contacts: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        pacer: { type: 'string' },
        html: { type: 'string' },
        'no-live': { type: 'boolean' },
        blend: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    process.stdout.write(HELP);
    return;
  }
  const agents = positiveInt('agents', v.agents as string | undefined, 12, 500);
  const contactCount = positiveInt('contacts', v.contacts as string | undefined, 2_000, 200_000);
  const seed = positiveInt('seed', v.seed as string | undefined, 7, 2 ** 31 - 1);
  const speed = v.speed === undefined ? 640 : Number(v.speed);
  if (!(speed > 0 && speed <= 1_000_000)) fail(`--speed: expected a positive number of virtual seconds per wall second, got "${v.speed}"`);
  const pacer = (v.pacer as string | undefined) ?? 'predictive';
  if (!(PACERS as readonly string[]).includes(pacer)) fail(`--pacer: expected one of ${PACERS.join(', ')}, got "${pacer}"`);
  const htmlPath = resolve(process.env.INIT_CWD ?? process.cwd(), (v.html as string | undefined) ?? 'demo-report.html');
  const live = !v['no-live'] && process.stdout.isTTY === true;
  if (v.blend) {
    await runBlendedDay({ agents, contacts: contactCount, seed, speed, live });
    return;
  }

  // Monday 23 Nov 2026, 09:00 in New York; the day runs to 17:00.
  const startAt = Date.UTC(2026, 10, 23, 14, 0);
  const dayMs = 8 * 3_600_000;
  const random = seededRandom(seed);
  const customers = generateCustomers(contactCount, random.split('customers'));
  const campaign = {
    id: 'retention-demo',
    name: 'Retention drive — demo',
    goal: 'retention',
    dialMode: pacer,
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
    pacing: { abandonTarget: 0.03, maxLinesPerAgent: 3 },
    recycle: { busy: { retryAfterMs: 15 * 60_000 }, 'no-answer': { retryAfterMs: 2 * 3_600_000 } },
  };
  const sim = await EngineSimulation.create({
    seed,
    startAt,
    campaign,
    contacts: customers,
    shifts: shiftsFor(agents, startAt, dayMs, 'retention-demo'),
    behaviour: retentionBehaviour(),
    outcomeModel: basicOutcomeModel(TYPICAL_CONSUMER_LIST),
  });

  const samples: DaySample[] = [];
  const sampleEveryMs = 5 * 60_000;
  const wallStart = performance.now();
  const stepMs = Math.max(1_000, speed * 100); // virtual ms per 100 ms of wall time
  for (let t = startAt; t < startAt + dayMs; ) {
    const target = Math.min(startAt + dayMs, t + stepMs);
    await sim.runUntil(target);
    t = target;
    const status = await sim.status();
    if (samples.length === 0 || t - startAt >= samples.length * sampleEveryMs) {
      const agentsNow = sim.agents.countByState();
      const working =
        agentsNow[AgentState.Ready] + agentsNow[AgentState.Reserved] + agentsNow[AgentState.OnCall] + agentsNow[AgentState.WrapUp];
      samples.push({
        minute: (t - startAt) / 60_000,
        abandonRate: status.abandonRate,
        dialRatio: working === 0 ? 0 : status.callsInFlight / working,
        agents: { ...agentsNow },
      });
    }
    if (live) logUpdate(renderLive(sim, status, t - startAt, dayMs));
    // Pace the virtual day against the wall clock.
    const due = wallStart + (t - startAt) / speed;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const status = await sim.status();
  if (live) logUpdate.done();
  await sim.close();

  const kpis = renderKpis(sim, status, dayMs);
  process.stdout.write(`\n${kpis.text}\n`);
  writeFileSync(
    htmlPath,
    renderHtmlReport({
      title: 'Paceline demo — retention drive',
      subtitle: `${agents} agents, ${contactCount} customers, ${pacer} pacing, seed ${seed}; Monday 09:00–17:00 America/New_York (virtual time)`,
      kpis: kpis.rows,
      abandonCap: 0.03,
      samples,
      outcomes: sim.counters.outcomes,
    }),
  );
  process.stdout.write(`\nReport with charts: ${htmlPath}\n(wall time ${((performance.now() - wallStart) / 1000).toFixed(1)} s)\n`);
}

main().catch((error) => {
  console.error(`pnpm demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
