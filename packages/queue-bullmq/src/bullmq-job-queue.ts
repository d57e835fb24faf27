import {
  type Clock,
  commandTimeoutOf,
  type DeadLetter,
  type EnqueueOptions,
  type Job,
  type JobQueue,
  PacelineError,
  type Random,
  RecentWrites,
  withinMs,
} from '@paceline/core';
import { type Job as BullJob, type ConnectionOptions, Queue, Worker } from 'bullmq';
import { fromBullJobId, toBullJobId, toBullQueueName } from './job-ids';

/** Options of {@link BullJobQueue}. */
export interface BullJobQueueOptions {
  /**
   * How BullMQ reaches Redis: connection options (`{ host, port }`) or an ioredis client
   * created with `maxRetriesPerRequest: null` (BullMQ's requirement for workers). Workers
   * open their own blocking connections from it.
   */
  readonly connection: ConnectionOptions;
  /** The tenant whose queues this instance sees: part of every key. 1–64 of `A–Z a–z 0–9 _ . -`. */
  readonly tenant: string;
  /**
   * BullMQ key prefix; default `paceline:<tenant>:bull`. On Redis Cluster give one with a hash
   * tag, e.g. `{paceline:acme}:bull`, so each queue's keys share a slot (BullMQ's rule).
   */
  readonly prefix?: string;
  /** Time for `runAt` delays and dead-letter times; must be real time (BullMQ schedules on Redis's side). */
  readonly clock: Clock;
  /** Jitter of the retry backoff. */
  readonly random: Random;
  /**
   * How long a completed job (and so its idempotency key) is kept, in ms; a job enqueued again
   * with the same key within this time is not run again. Default 30 days.
   */
  readonly keepCompletedMs?: number;
  /**
   * Jobs of one queue this process runs at the same time (BullMQ worker `concurrency`).
   * Default 1: one job at a time per queue and process, as the in-memory queue. A handler that
   * tolerates concurrent jobs (the fulfilment desk does) gets far more throughput from a few.
   */
  readonly concurrency?: number;
  /**
   * How long a worker's lock on a running job lasts, in ms (renewed every half of it while the
   * job runs); default 30 000, BullMQ's. When a process dies, its running jobs go back to the
   * queue once the lock has expired and a stalled-job check ran (see `stalledIntervalMs`).
   */
  readonly lockDurationMs?: number;
  /** How often workers look for jobs whose process died (stalled jobs), in ms; default 30 000, BullMQ's. */
  readonly stalledIntervalMs?: number;
  /**
   * How long jobs enqueued with an idempotency key are remembered, to add them again when the
   * connection comes back: `appendfsync everysec` can lose about the last second of acknowledged
   * writes when Redis's machine dies (a confirmed sale's order among them), a promoted replica
   * whatever it had not received. Adding again is safe: the key is the job id, and BullMQ adds a
   * job once per id. Default 5 000 ms; `0` turns it off. Jobs without a key are never added again.
   */
  readonly journalMs?: number;
  /**
   * rb9: the longest `enqueue`, `deadLetters` and `replay` wait for Redis's answer, ms; default
   * {@link QUEUE_COMMAND_TIMEOUT_MS} (5 s); 0: no bound. A frozen server (or a dropped link the OS
   * has not noticed) answers nothing and BullMQ's client waits for ever: an engine node's pool
   * messages and order hand-offs would hang with it. Past the bound the call rejects (the engine
   * retries, as for a refused connection); Redis may still add the job later — a job with an
   * idempotency key once (its id), one without may then run twice (the engine's pool messages
   * tolerate a repeat). Workers' blocking reads are BullMQ's and not bounded here. On `clock`.
   */
  readonly commandTimeoutMs?: number;
  /**
   * rb12: the longest `close()` (and a worker's stop, the function `process` returns) waits, ms;
   * default {@link QUEUE_CLOSE_TIMEOUT_MS} (30 s); 0: no bound. A close lets the running jobs finish,
   * then quits BullMQ's connections: on a frozen server it waited for ever, and the host's shutdown
   * with it. Past the bound the workers' and queues' connections are disconnected (sockets closed:
   * the process can exit) and the close rejects with `E_CLOSED` naming what did not finish. A job
   * cut off so runs again once its lock expires (`lockDurationMs`; at least once, as after a crash).
   * A client the host gave as `connection` is disconnected with them (BullMQ shares it): the host
   * is closing; close it with `closeRedis` (`@paceline/store-redis`) as well.
   */
  readonly closeTimeoutMs?: number;
}

/** rb9: {@link BullJobQueueOptions.commandTimeoutMs}'s default, ms (the Redis store's too). */
export const QUEUE_COMMAND_TIMEOUT_MS = 5_000;

/** rb12: {@link BullJobQueueOptions.closeTimeoutMs}'s default, ms: a running job's lock (BullMQ's 30 s) to finish in. */
export const QUEUE_CLOSE_TIMEOUT_MS = 30_000;

/** One job enqueued with an idempotency key, as the journal keeps it. */
interface JournalledJob {
  readonly queue: string;
  readonly payload: unknown;
  readonly options: EnqueueOptions;
}

/** The name of Paceline's backoff strategy, registered on every worker. */
const BACKOFF = 'paceline-equal-jitter';
const TENANT = /^[A-Za-z0-9_.-]{1,64}$/;
const DAY_MS = 86_400_000;
/** Tries (and the pause between them) to add the journal's jobs again after the connection dropped. */
const REPLAY_TRIES = 80;
const REPLAY_RETRY_MS = 250;

/**
 * The `JobQueue` on BullMQ: durable across restarts and shared by several processes.
 * `runAt` becomes a delayed job; an idempotency key becomes the job id, so BullMQ adds a
 * job once per key, and completed jobs are kept (`keepCompletedMs`) so a key that already ran
 * is not run again; retries back off exponentially with "equal jitter" drawn from the
 * injected `Random`; jobs that exhausted their attempts stay in BullMQ's failed set, which
 * `deadLetters` lists and `replay` retries. One job at a time per queue and process unless
 * `concurrency` says more; a process that dies mid-job leaves it to another worker once its
 * lock expires (`lockDurationMs`, `stalledIntervalMs`), so a handler runs at least once.
 */
export class BullJobQueue implements JobQueue {
  readonly #options: BullJobQueueOptions;
  readonly #prefix: string;
  readonly #keepCompletedS: number;
  readonly #queues = new Map<string, Queue>();
  readonly #workers = new Map<string, Worker>();
  readonly #journal: RecentWrites<JournalledJob> | undefined;
  readonly #timeoutMs: number;
  readonly #closeTimeoutMs: number;
  #closed = false;

  constructor(options: BullJobQueueOptions) {
    if (!TENANT.test(options.tenant ?? '')) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `BullJobQueue options.tenant: expected 1–64 characters of A–Z, a–z, 0–9, '_', '.', '-', got ${JSON.stringify(options.tenant)}`,
      );
    }
    const keepMs = options.keepCompletedMs ?? 30 * DAY_MS;
    if (!(keepMs > 0)) {
      throw new PacelineError('E_INVALID_CONFIG', `BullJobQueue options.keepCompletedMs: expected a positive number of ms, got ${keepMs}`);
    }
    for (const [name, value] of [
      ['concurrency', options.concurrency],
      ['lockDurationMs', options.lockDurationMs],
      ['stalledIntervalMs', options.stalledIntervalMs],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new PacelineError('E_INVALID_CONFIG', `BullJobQueue options.${name}: expected a positive integer, got ${value}`);
      }
    }
    const journalMs = options.journalMs ?? 5_000;
    if (!(Number.isFinite(journalMs) && journalMs >= 0)) {
      throw new PacelineError(
        'E_INVALID_CONFIG',
        `BullJobQueue options.journalMs: expected 0 (off) or a positive number of ms, got ${journalMs}`,
      );
    }
    const timeoutMs = commandTimeoutOf(options.commandTimeoutMs, QUEUE_COMMAND_TIMEOUT_MS, 'BullJobQueue');
    this.#timeoutMs = timeoutMs;
    this.#closeTimeoutMs = closeTimeoutOf(options.closeTimeoutMs);
    this.#journal = journalMs === 0 ? undefined : new RecentWrites(options.clock, journalMs);
    this.#options = options;
    this.#prefix = options.prefix ?? `paceline:${options.tenant}:bull`;
    this.#keepCompletedS = Math.ceil(keepMs / 1_000);
  }

  async enqueue<P>(queue: string, payload: P, options: EnqueueOptions = {}): Promise<string> {
    if (this.#closed) throw new PacelineError('E_CONFLICT', `JobQueue.enqueue(${queue}): the queue is closed`);
    const maxAttempts = options.maxAttempts ?? 1;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new PacelineError('E_INVALID_INPUT', `JobQueue.enqueue: maxAttempts: expected a positive integer, got ${maxAttempts}`);
    }
    const id = await this.#bounded(`enqueue(${queue})`, this.#add(queue, payload, options, maxAttempts));
    if (options.idempotencyKey !== undefined) this.#journal?.record(`${queue}\u0000${options.idempotencyKey}`, { queue, payload, options });
    return id;
  }

  async #add(queue: string, payload: unknown, options: EnqueueOptions, maxAttempts: number): Promise<string> {
    const delay = options.runAt === undefined ? 0 : Math.max(0, Math.ceil(options.runAt - this.#options.clock.now()));
    const job = await this.#queue(queue).add(queue, payload, {
      ...(options.idempotencyKey === undefined ? {} : { jobId: toBullJobId(options.idempotencyKey) }),
      ...(delay > 0 ? { delay } : {}),
      attempts: maxAttempts,
      backoff: { type: BACKOFF, delay: options.backoffMs ?? 1_000 },
      removeOnComplete: { age: this.#keepCompletedS },
      // Dead letters stay until replayed.
      removeOnFail: false,
    });
    if (job.id === undefined) throw new PacelineError('E_INTERNAL', `JobQueue.enqueue(${queue}): BullMQ returned a job without an id`);
    return fromBullJobId(job.id);
  }

  process<P>(queue: string, handler: (job: Job<P>) => Promise<void>): () => Promise<void> {
    if (this.#closed) throw new PacelineError('E_CONFLICT', `JobQueue.process(${queue}): the queue is closed`);
    if (this.#workers.has(queue)) throw new PacelineError('E_CONFLICT', `JobQueue.process(${queue}): a handler is already registered`);
    const random = this.#options.random;
    const worker = new Worker(
      toBullQueueName(queue),
      async (job: BullJob) => {
        await handler({ id: fromBullJobId(job.id ?? ''), queue, payload: job.data as P, attempt: job.attemptsMade + 1 });
      },
      {
        connection: this.#options.connection,
        prefix: this.#prefix,
        concurrency: this.#options.concurrency ?? 1,
        ...(this.#options.lockDurationMs === undefined ? {} : { lockDuration: this.#options.lockDurationMs }),
        ...(this.#options.stalledIntervalMs === undefined ? {} : { stalledInterval: this.#options.stalledIntervalMs }),
        settings: {
          // Exponential backoff with "equal jitter" (as the in-memory queue): half fixed, half from the injected Random.
          backoffStrategy: (attemptsMade, _type, _error, job) => {
            const base =
              (job?.opts.backoff && typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 1_000) : 1_000) *
              2 ** (attemptsMade - 1);
            return Math.round(base / 2 + (base / 2) * random.next());
          },
        },
      },
    );
    // Errors reach the failed set or reconnect by themselves; an unhandled 'error' event would crash the host.
    worker.on('error', () => {});
    this.#workers.set(queue, worker);
    return async () => {
      if (this.#workers.get(queue) === worker) this.#workers.delete(queue);
      await this.#closeWithin(`stop(${queue})`, [worker], () => worker.close());
    };
  }

  async deadLetters<P = unknown>(queue: string): Promise<DeadLetter<P>[]> {
    const failed = await this.#bounded(`deadLetters(${queue})`, this.#queue(queue).getFailed());
    return failed.map((job) => ({
      job: { id: fromBullJobId(job.id ?? ''), queue, payload: job.data as P, attempt: job.attemptsMade },
      error: job.failedReason,
      failedAt: job.finishedOn ?? job.processedOn ?? job.timestamp,
    }));
  }

  async replay(queue: string, jobId: string): Promise<void> {
    const job = await this.#bounded(`replay(${queue})`, this.#queue(queue).getJob(toBullJobId(jobId)));
    if (!job || (await this.#bounded(`replay(${queue})`, job.getState())) !== 'failed') {
      throw new PacelineError(
        'E_NOT_FOUND',
        `JobQueue.replay: no dead-lettered job "${jobId}" in queue "${queue}"; list them with deadLetters()`,
      );
    }
    await this.#bounded(`replay(${queue})`, job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }));
  }

  /** rb9: `call` rejected after `commandTimeoutMs` without an answer (its late answer dropped); as is with 0. */
  #bounded<T>(what: string, call: Promise<T>): Promise<T> {
    return withinMs(this.#options.clock, this.#timeoutMs, `BullJobQueue: ${what}`, call);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = [...this.#workers.values()];
    const queues = [...this.#queues.values()];
    this.#workers.clear();
    this.#queues.clear();
    await this.#closeWithin('close', [...workers, ...queues], async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
    });
  }

  /**
   * rb12: `close()` within `closeTimeoutMs`; past it (or when it fails) `parts` are disconnected — their
   * sockets closed; ioredis destroys one the server does not answer within its `disconnectTimeout`, 2 s —
   * and `E_CLOSED` names `what` (a failure is rethrown as it is). So a close settles within about twice the bound.
   */
  async #closeWithin(what: string, parts: readonly (Worker | Queue)[], close: () => Promise<void>): Promise<void> {
    const ms = this.#closeTimeoutMs;
    const done = close().then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    const failed = await withinMs(this.#options.clock, ms, what, done).catch(() => 'timeout' as const);
    if (failed === undefined) return;
    // the disconnects bounded too: one waits for its connection's first `ready` if it never came
    await withinMs(this.#options.clock, ms, `${what} disconnect`, Promise.allSettled(parts.map((part) => part.disconnect()))).catch(
      () => {},
    );
    if (failed === 'timeout')
      throw new PacelineError(
        'E_CLOSED',
        `BullJobQueue: ${what} did not finish within ${ms} ms (closeTimeoutMs): Redis answered nothing or a job ran on; its connections were dropped`,
        { what, closeTimeoutMs: ms },
      );
    throw failed.error;
  }

  #queue(queue: string): Queue {
    let q = this.#queues.get(queue);
    if (!q) {
      q = new Queue(toBullQueueName(queue), { connection: this.#options.connection, prefix: this.#prefix });
      q.on('error', () => {});
      this.#queues.set(queue, q);
      if (this.#journal !== undefined) {
        // The connection dropped (not closed by us): add the remembered jobs again (see `journalMs`).
        // The adds wait in ioredis's queue until the server is back.
        q.on('ioredis:close', () => void this.#replay(queue));
      }
    }
    return q;
  }

  /**
   * Add again the jobs of `queue` the journal remembers; BullMQ adds each once per id, so one
   * that survived is left as it is. Tries again while the server cannot be reached.
   */
  async #replay(queue: string): Promise<void> {
    for (let tries = 1; tries <= REPLAY_TRIES && !this.#closed; tries++) {
      try {
        for (const [, job] of this.#journal?.entries() ?? []) {
          if (job.queue === queue && !this.#closed) await this.#add(job.queue, job.payload, job.options, job.options.maxAttempts ?? 1);
        }
        return;
      } catch {
        await new Promise<void>((resolve) => this.#options.clock.setTimer(REPLAY_RETRY_MS, resolve));
      }
    }
  }
}

/** A `JobQueue` on BullMQ; see {@link BullJobQueueOptions}. */
export function createBullJobQueue(options: BullJobQueueOptions): JobQueue {
  return new BullJobQueue(options);
}

/** rb12: {@link BullJobQueueOptions.closeTimeoutMs} checked (0: no bound). */
function closeTimeoutOf(value: number | undefined): number {
  const ms = value ?? QUEUE_CLOSE_TIMEOUT_MS;
  if (!(Number.isFinite(ms) && ms >= 0))
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `BullJobQueue options.closeTimeoutMs: expected 0 (no bound) or a positive number of ms, got ${ms}`,
    );
  return ms;
}
