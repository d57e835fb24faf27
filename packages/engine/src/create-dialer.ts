import type { Campaign } from '@paceline/core';
import {
  type AgentPool,
  type Clock,
  type JobQueue,
  type Lease,
  type Logger,
  type MediaBridge,
  PacelineError,
  type Random,
  redactingLogger,
  type Store,
  seededRandom,
  systemClock,
  type Trunk,
} from '@paceline/core';
import { createHookRunner, type HookBudgetsMs, type Script, type ScriptingHooks } from '@paceline/scripting';
import { defaultCompliance } from './default-compliance';
import { defaultLogger } from './default-logger';
import { defaultPacer } from './default-pacer';
import { DEFAULT_LEASE_TTL_MS, Dialer } from './dialer';
import { type InboundOptions, parseInboundOptions } from './inbound/inbound-options'; // issue-23
import { createMemoryJobQueue } from './memory/memory-job-queue';
import { createMemoryStore } from './memory/memory-store';
import type { CampaignPacer, ComplianceGate } from './ports';

/** Options of {@link createDialer}. Only `trunk` is required. */
export interface DialerOptions {
  /** Where state lives; default: the embedded in-memory store. */
  readonly store?: Store;
  /** The telephony trunk (trunk-sim, trunk-sip, or your own adapter). */
  readonly trunk: Trunk;
  /** issue-17: share of machine decisions kept through the trunk's `keepAnalysisAudio` for listen-back (default 0.02). */
  readonly amdListenBackFraction?: number;
  /** Default: real time. Pass a `VirtualClock` to simulate. */
  readonly clock?: Clock;
  /** Default: `seededRandom(1)`; seeds the embedded job queue's retry jitter and the AMD listen-back sampling. */
  readonly random?: Random;
  /** A pino logger or child (wrapped in core's `redactingLogger`); default: `defaultLogger()`, pino at `info`. */
  readonly logger?: Logger;
  /** Agent audio; default: none (the trunk bridges audio itself). */
  readonly media?: MediaBridge;
  /** Jobs (fulfilment hand-off); default: the embedded in-memory queue on the same clock. */
  readonly queue?: JobQueue;
  /** Compliance gate; default: `@paceline/compliance` with the campaign's profile. */
  readonly compliance?: ComplianceGate;
  /** Pacer per campaign; default: `@paceline/pacing` for the campaign's dial mode. */
  readonly createPacer?: (campaign: Campaign) => CampaignPacer;
  /** Prefix for attempt ids; must differ between engine processes sharing a store. Default `n1`. */
  readonly nodeId?: string;
  /** Pacing tick period while a campaign runs, ms; default 1000. */
  readonly tickIntervalMs?: number;
  /**
   * Distributed mode: the `Lease` for per-campaign pacing leadership (`store-redis`'s
   * `RedisLease` across machines) and its TTL (default 10 s: a crashed leader is replaced
   * within it). Only the holder launches calls for a campaign; use with a shared `Store`.
   */
  readonly leadership?: { readonly lease: Lease; readonly ttlMs?: number };
  /**
   * Distributed mode: the pool of every node's agents (`store-redis`'s `RedisAgentPool`), so
   * a campaign's leader also paces for and connects agents logged in to other nodes. Needs
   * `leadership` and a `queue` the nodes share (`queue-bullmq`): the nodes' messages go
   * through it. Without it, a node's agents only take calls of campaigns that node leads.
   */
  readonly agentPool?: AgentPool;
  /**
   * Scripting hooks (`beforeDial`, `onConnect`, …) with their time budgets, and the fallback
   * script an agent gets when `onConnect` fails or is late (one script, or one per campaign).
   */
  readonly scripting?: {
    readonly hooks: ScriptingHooks;
    readonly fallbackScript: Script | ((campaign: Campaign) => Script);
    readonly budgetsMs?: Partial<HookBudgetsMs>;
  };
  /**
   * issue-23: take inbound calls — queues with skills, priority, a service-level target,
   * messages while waiting and overflow; the numbers each answers (plus the campaigns' caller
   * IDs, for returned calls); the blend's tuning. Needs a trunk with the inbound half of the
   * port. See docs/inbound.md. Validated: `E_INVALID_CONFIG` names the field.
   */
  readonly inbound?: InboundOptions;
}

/**
 * Create a dialer. Several campaigns run in one dialer; nothing is global, so several
 * dialers (tenants) can share a process.
 */
export function createDialer(options: DialerOptions): Dialer {
  if (!options || typeof options.trunk?.originate !== 'function') {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'createDialer: trunk: expected a Trunk adapter (e.g. createSimTrunk from @paceline/trunk-sim)',
    );
  }
  const tickIntervalMs = options.tickIntervalMs ?? 1_000;
  if (!(tickIntervalMs >= 50)) {
    throw new PacelineError('E_INVALID_CONFIG', `createDialer: tickIntervalMs: expected at least 50 ms, got ${tickIntervalMs}`);
  }
  if (options.agentPool && !options.leadership) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'createDialer: agentPool: needs leadership (a shared Lease) and a shared queue; pooled agents are served by the leader of their campaign',
    );
  }
  if (options.agentPool && !options.queue) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      'createDialer: agentPool: needs a queue shared by the nodes (e.g. createBullJobQueue from @paceline/queue-bullmq): the nodes talk through it',
    );
  }
  const clock = options.clock ?? systemClock();
  const random = options.random ?? seededRandom(1);
  // issue-20: every logger, the host's too, goes through core's redaction (no phone, name or address in a log line).
  const logger = redactingLogger(options.logger ?? defaultLogger());
  return new Dialer({
    store: options.store ?? createMemoryStore(),
    trunk: options.trunk,
    clock,
    logger,
    random: random.split('dialer'),
    queue: options.queue ?? createMemoryJobQueue({ clock, random: random.split('job-queue') }),
    ...(options.media ? { media: options.media } : {}),
    compliance: options.compliance ?? defaultCompliance({ clock }),
    createPacer: options.createPacer ?? defaultPacer,
    nodeId: options.nodeId ?? 'n1',
    tickIntervalMs,
    ...(options.scripting ? { hooksFor: hookRunners(options.scripting, clock, logger) } : {}),
    ...(options.leadership
      ? { leadership: { lease: options.leadership.lease, ttlMs: options.leadership.ttlMs ?? DEFAULT_LEASE_TTL_MS } }
      : {}),
    ...(options.agentPool ? { agentPool: options.agentPool } : {}),
    ...(options.inbound ? { inbound: parseInboundOptions(options.inbound, options.trunk) } : {}), // issue-23
    ...(options.amdListenBackFraction === undefined ? {} : { amdListenBackFraction: options.amdListenBackFraction }), // issue-17
  });
}

/** One hook runner per campaign, each with that campaign's fallback script. */
function hookRunners(scripting: NonNullable<DialerOptions['scripting']>, clock: Clock, logger: Logger) {
  return (campaign: Campaign) =>
    createHookRunner({
      hooks: scripting.hooks,
      clock,
      logger,
      fallbackScript: typeof scripting.fallbackScript === 'function' ? scripting.fallbackScript(campaign) : scripting.fallbackScript,
      ...(scripting.budgetsMs ? { budgetsMs: scripting.budgetsMs } : {}),
    });
}
