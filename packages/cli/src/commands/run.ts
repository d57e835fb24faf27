import { randomBytes } from 'node:crypto';
import {
  type Campaign,
  type CampaignInput,
  type Clock,
  type ContactInput,
  PacelineError,
  parseCampaign,
  type Random,
  seededRandom,
  systemClock,
  type Trunk,
} from '@paceline/core';
import { type CampaignMonitor, dashboardPlugin } from '@paceline/dashboard';
import { createDialer, defaultLogger, MACHINE_MESSAGE, SAFE_HARBOUR_MESSAGE } from '@paceline/engine';
import { type AgentBehaviour, type SimulatedShift, simulateAgents } from '@paceline/sim';
import { basicOutcomeModel, createSimTrunk, TYPICAL_CONSUMER_LIST } from '@paceline/trunk-sim';
import { createSipTrunk } from '@paceline/trunk-sip';
import Fastify from 'fastify';
import { CliError } from '../cli-error';
import type { Output } from '../output';
import { readJson } from '../read-input';
import { loadSipConfig } from '../sip-config';
import { csvListImporter, listsImport, parseMapping } from './lists-import';
import { finalReport, summaryLine } from './run-summary';

/** Options of `paceline run`. */
export interface RunOptions {
  readonly trunk: 'sim' | 'sip';
  readonly sipConfig?: string;
  readonly port: number;
  readonly host: string;
  readonly token?: string;
  readonly agents: number;
  readonly contacts?: string;
  readonly map: readonly string[];
  readonly country: string;
  /** Stop after this many seconds (default: run until the campaign completes or Ctrl-C). */
  readonly duration?: number;
  readonly seed: number;
  readonly json: boolean;
  /** Engine log level; the lines (redacted) go to stderr. Default `info`. */
  readonly logLevel?: LogLevel;
  /** issue-24: seconds between live summary lines on stdout (default 5; 0: none). With `--json`, JSON lines. */
  readonly summaryEvery?: number;
}

/** The levels `--log-level` accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A running `paceline run`: where the dashboard is, and how to stop it. */
export interface RunningCampaign {
  readonly url: string;
  readonly token: string;
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** Simulated agents' work on the sim trunk: ~3 min talks, ~30 s wrap-up, a save on one call in four. */
function simAgentBehaviour(): AgentBehaviour {
  return {
    talkMs: (_offer, random) => 60_000 + random.next() * 240_000,
    wrapMs: (_offer, random) => 10_000 + random.next() * 40_000,
    disposition: (_offer, random) => {
      const u = random.next();
      return { code: u < 0.25 ? 'SAVED' : u < 0.8 ? 'NOT_INTERESTED' : 'NO_DECISION' };
    },
  };
}

/** The trunk of a run, how to describe it, and how to release it. */
interface RunTrunk {
  readonly trunk: Trunk;
  readonly label: string;
  close(): Promise<void>;
}

/** The SIP trunk of `--sip-config`, after the file and the WAVs the campaign needs were checked. */
async function sipTrunk(
  options: RunOptions,
  campaignInput: unknown,
  campaignPath: string,
  deps: Parameters<typeof loadSipConfig>[2],
): Promise<RunTrunk> {
  if (!options.sipConfig)
    throw new CliError('run --trunk sip: --sip-config <file.json> is required (the carrier trunks; see docs/cli.md)', 2);
  let campaign: Campaign;
  try {
    campaign = parseCampaign(campaignInput);
  } catch (error) {
    if (error instanceof PacelineError) throw new CliError(`campaign ${campaignPath}: ${error.message}`);
    throw error;
  }
  const required = campaign.machineHandling === 'message' ? [SAFE_HARBOUR_MESSAGE, MACHINE_MESSAGE] : [SAFE_HARBOUR_MESSAGE];
  const sipOptions = loadSipConfig(options.sipConfig, required, deps);
  try {
    const trunk = await createSipTrunk(sipOptions);
    return { trunk, label: `the SIP trunk (${sipOptions.trunks.map((t) => t.id).join(', ')})`, close: () => trunk.close() };
  } catch (error) {
    throw new CliError(`run: cannot start the SIP trunk from ${options.sipConfig}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** The simulated carrier of `--trunk sim`. */
function simTrunk(clock: Clock, random: Random): RunTrunk {
  const sim = createSimTrunk({
    clock,
    random,
    model: basicOutcomeModel(TYPICAL_CONSUMER_LIST),
  });
  return { trunk: sim, label: 'the sim trunk', close: () => sim.close() };
}

/**
 * `paceline run <campaign.json> --trunk sim|sip`: run a campaign in real time (core's
 * `systemClock()`) on a trunk adapter — trunk-sim, or trunk-sip configured by `--sip-config`
 * — with simulated agents, and serve the dashboard on a local port. The file is a campaign,
 * or `{ "campaign": …, "contacts": [ … ] }`.
 */
export async function run(path: string, options: RunOptions, out: Output): Promise<RunningCampaign> {
  if (options.trunk === 'sip' && !options.sipConfig) {
    throw new CliError('run --trunk sip: --sip-config <file.json> is required (the carrier trunks; see docs/cli.md)', 2);
  }
  if (options.trunk === 'sim' && options.sipConfig) throw new CliError('run: --sip-config needs --trunk sip', 2);
  const file = readJson(path, 'campaign') as Record<string, unknown>;
  const input = typeof file === 'object' && file !== null && 'campaign' in file ? file.campaign : file;
  const inlineContacts = typeof file === 'object' && file !== null && Array.isArray(file.contacts) ? (file.contacts as unknown[]) : [];

  const clock = systemClock();
  const random = seededRandom(options.seed);
  const line: RunTrunk =
    options.trunk === 'sip'
      ? await sipTrunk(options, input, path, { clock, random: random.split('trunk') })
      : simTrunk(clock, random.split('trunk'));
  const { trunk } = line;
  const logger = defaultLogger({ level: options.logLevel ?? 'info', destination: out.stderr });
  const dialer = createDialer({ trunk, clock, random: random.split('dialer'), logger });
  let campaign: Campaign;
  try {
    // issue-19: the campaign file is validated by addCampaign at run time.
    campaign = await dialer.addCampaign(input as CampaignInput);
  } catch (error) {
    await line.close();
    if (error instanceof PacelineError) throw new CliError(`campaign ${path}: ${error.message}`);
    throw error;
  }
  const mapping = parseMapping(options.map.length > 0 ? options.map : ['phones=phone']);
  const added = inlineContacts.length > 0 ? await dialer.addContacts(campaign.id, inlineContacts as ContactInput[]) : undefined;
  if (added && added.rejected.length > 0) {
    const first = added.rejected[0];
    out.stderr.write(`run: ${added.rejected.length} contact(s) in ${path} rejected; first: ${first?.path}: ${first?.message}\n`);
  }
  if (options.contacts) {
    const outFile = `${options.contacts}.clean.jsonl`;
    const report = await listsImport(
      options.contacts,
      {
        map: options.map,
        country: options.country,
        dnc: [],
        out: outFile,
        rejects: `${options.contacts}.rejects.csv`,
        json: true,
        asOfMs: clock.now(),
      },
      { stdout: { write: () => true } as unknown as Output['stdout'], stderr: out.stderr },
    );
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(outFile, 'utf8').split('\n').filter(Boolean);
    await dialer.addContacts(
      campaign.id,
      lines.map((l) => JSON.parse(l)),
    );
    if (!options.json) out.stdout.write(`Imported ${report.imported} contact(s) from ${options.contacts}\n`);
  }

  const now = clock.now();
  const shifts: SimulatedShift[] = Array.from({ length: options.agents }, (_, i) => ({
    id: `agent-${String(i + 1).padStart(2, '0')}`,
    name: `Agent ${i + 1}`,
    campaignIds: [campaign.id],
    loginAt: now,
    logoutAt: now + 24 * HOUR_MS,
  }));
  simulateAgents(dialer, clock, random.split('agents'), shifts, simAgentBehaviour());

  const token = options.token ?? randomBytes(18).toString('base64url');
  const app = Fastify({ logger: false });
  let monitor: CampaignMonitor | undefined;
  await app.register(dashboardPlugin, {
    onReady: (m) => {
      monitor = m;
    },
    dialer,
    campaigns: [campaign],
    token,
    clock,
    title: `Paceline — ${campaign.name}`,
    importList: csvListImporter(dialer, { mapping, country: options.country }),
  });
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await dialer.close();
    await line.close();
    throw new CliError(`run: cannot listen on ${options.host}:${options.port} (${(error as Error).message})`);
  }
  const url = `${address}/?token=${encodeURIComponent(token)}`;
  await dialer.start(campaign.id);

  let finish: () => void = () => {};
  const done = new Promise<void>((r) => {
    finish = r;
  });
  let stopping = false;
  // issue-24: a live summary line every few seconds, and the final report when it stops.
  const tty = out.stdout.isTTY === true && !options.json;
  const summaryEveryMs = (options.summaryEvery ?? 5) * 1_000;
  const writeSummary = async () => {
    if (!monitor || stopping) return;
    const snapshot = await monitor.floorSnapshot();
    if (options.json) out.stdout.write(`${JSON.stringify({ summary: summaryLine(snapshot) })}\n`);
    else out.stdout.write(tty ? `\r\x1b[K${summaryLine(snapshot).split('\n').join(' | ')}` : `${summaryLine(snapshot)}\n`);
  };
  let summaryTimer: ReturnType<Clock['setTimer']> | undefined;
  const tick = () => {
    summaryTimer = clock.setTimer(summaryEveryMs, tick);
    writeSummary().catch((error: unknown) => out.stderr.write(`run: summary failed: ${(error as Error).message}\n`));
  };
  if (summaryEveryMs > 0) summaryTimer = clock.setTimer(summaryEveryMs, tick);
  const stop = async () => {
    if (stopping) return done;
    stopping = true;
    if (summaryTimer !== undefined) clock.clearTimer(summaryTimer);
    try {
      await dialer.stop(campaign.id);
    } catch {
      // already completed or stopped: nothing to stop
    }
    try {
      if (monitor) {
        const report = finalReport(await monitor.floorSnapshot());
        out.stdout.write(options.json ? `${JSON.stringify({ report })}\n` : `${tty ? '\n' : ''}${report}`);
      }
    } catch (error) {
      out.stderr.write(`run: final report failed: ${(error as Error).message}\n`);
    }
    await dialer.close();
    await line.close();
    await app.close();
    finish();
  };
  dialer.on('campaignStateChanged', (e) => {
    if (e.campaignId === campaign.id && e.to === 'completed') void stop();
  });
  if (options.duration !== undefined) clock.setTimer(options.duration * 1_000, () => void stop());
  if (options.json) out.stdout.write(`${JSON.stringify({ campaignId: campaign.id, dashboard: url, token })}\n`);
  else
    out.stdout.write(
      `Campaign ${campaign.id} running on ${line.label} with ${options.agents} simulated agent(s).\nDashboard: ${url}\nCtrl-C stops it and prints the final report.\n`,
    );
  return { url, token, done, stop };
}
