import {
  type Clock,
  type DeadLetter,
  type EnqueueOptions,
  type Job,
  type JobQueue,
  PacelineError,
  type Random,
  type TimerHandle,
} from '@paceline/core';

interface StoredJob {
  readonly id: string;
  readonly queue: string;
  readonly payload: unknown;
  readonly seq: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  runAt: number;
  attempt: number;
  status: 'pending' | 'running' | 'done' | 'dead';
}

interface QueueState {
  readonly jobs: Map<string, StoredJob>;
  readonly dead: Map<string, DeadLetter>;
  handler?: (job: Job<unknown>) => Promise<void>;
  running?: Promise<void>;
  timer?: TimerHandle;
  timerAt?: number;
}

/**
 * The embedded `JobQueue`: in memory, on the injected `Clock` (delays, retries) and `Random`
 * (backoff jitter), so it runs on virtual time in simulations. One job at a time per queue,
 * in `runAt` order. It is not durable across restarts — use `queue-bullmq` for that.
 */
export class MemoryJobQueue implements JobQueue {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #queues = new Map<string, QueueState>();
  #seq = 0;
  #closed = false;

  constructor(options: { clock: Clock; random: Random }) {
    this.#clock = options.clock;
    this.#random = options.random;
  }

  async enqueue<P>(queue: string, payload: P, options: EnqueueOptions = {}): Promise<string> {
    if (this.#closed) throw new PacelineError('E_CONFLICT', `JobQueue.enqueue(${queue}): the queue is closed`);
    const state = this.#state(queue);
    const id = options.idempotencyKey ?? `${queue}-${++this.#seq}`;
    if (state.jobs.has(id)) return id;
    const maxAttempts = options.maxAttempts ?? 1;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new PacelineError('E_INVALID_INPUT', `JobQueue.enqueue: maxAttempts: expected a positive integer, got ${maxAttempts}`);
    }
    state.jobs.set(id, {
      id,
      queue,
      payload: structuredClone(payload),
      seq: this.#seq++,
      maxAttempts,
      backoffMs: options.backoffMs ?? 1_000,
      runAt: options.runAt ?? this.#clock.now(),
      attempt: 0,
      status: 'pending',
    });
    this.#pump(queue);
    return id;
  }

  process<P>(queue: string, handler: (job: Job<P>) => Promise<void>): () => Promise<void> {
    const state = this.#state(queue);
    if (state.handler) throw new PacelineError('E_CONFLICT', `JobQueue.process(${queue}): a handler is already registered`);
    state.handler = handler as (job: Job<unknown>) => Promise<void>;
    this.#pump(queue);
    return async () => {
      delete state.handler;
      this.#cancelTimer(state);
      await state.running;
    };
  }

  async deadLetters<P = unknown>(queue: string): Promise<DeadLetter<P>[]> {
    return [...this.#state(queue).dead.values()] as DeadLetter<P>[];
  }

  async replay(queue: string, jobId: string): Promise<void> {
    const state = this.#state(queue);
    const job = state.jobs.get(jobId);
    if (job?.status !== 'dead') {
      throw new PacelineError('E_NOT_FOUND', `JobQueue.replay: no dead-lettered job "${jobId}" in queue "${queue}"`);
    }
    state.dead.delete(jobId);
    job.status = 'pending';
    job.attempt = 0;
    job.runAt = this.#clock.now();
    this.#pump(queue);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const state of this.#queues.values()) {
      delete state.handler;
      this.#cancelTimer(state);
    }
    await Promise.all([...this.#queues.values()].map((s) => s.running));
  }

  #state(queue: string): QueueState {
    let state = this.#queues.get(queue);
    if (!state) {
      state = { jobs: new Map(), dead: new Map() };
      this.#queues.set(queue, state);
    }
    return state;
  }

  #cancelTimer(state: QueueState): void {
    if (state.timer !== undefined) this.#clock.clearTimer(state.timer);
    delete state.timer;
    delete state.timerAt;
  }

  /** Start the next due job if the queue is idle, or wake up when the next one is due. */
  #pump(queue: string): void {
    const state = this.#state(queue);
    if (!state.handler || state.running || this.#closed) return;
    let next: StoredJob | undefined;
    for (const job of state.jobs.values()) {
      if (job.status !== 'pending') continue;
      if (!next || job.runAt < next.runAt || (job.runAt === next.runAt && job.seq < next.seq)) next = job;
    }
    if (!next) return;
    const now = this.#clock.now();
    if (next.runAt > now) {
      if (state.timerAt === next.runAt) return;
      this.#cancelTimer(state);
      state.timerAt = next.runAt;
      state.timer = this.#clock.setTimer(next.runAt - now, () => {
        delete state.timer;
        delete state.timerAt;
        this.#pump(queue);
      });
      return;
    }
    this.#cancelTimer(state);
    state.running = this.#run(state, next, state.handler).finally(() => {
      delete state.running;
      this.#pump(queue);
    });
  }

  async #run(state: QueueState, job: StoredJob, handler: (job: Job<unknown>) => Promise<void>): Promise<void> {
    job.status = 'running';
    job.attempt++;
    try {
      await handler({ id: job.id, queue: job.queue, payload: structuredClone(job.payload), attempt: job.attempt });
      job.status = 'done';
    } catch (error) {
      if (job.attempt >= job.maxAttempts) {
        job.status = 'dead';
        state.dead.set(job.id, {
          job: { id: job.id, queue: job.queue, payload: job.payload, attempt: job.attempt },
          error: error instanceof Error ? error.message : String(error),
          failedAt: this.#clock.now(),
        });
      } else {
        // Exponential backoff with "equal jitter": half fixed, half random, so retries spread out.
        const base = job.backoffMs * 2 ** (job.attempt - 1);
        job.runAt = this.#clock.now() + base / 2 + (base / 2) * this.#random.next();
        job.status = 'pending';
      }
    }
  }
}

/** The embedded default `JobQueue`. */
export function createMemoryJobQueue(options: { clock: Clock; random: Random }): JobQueue {
  return new MemoryJobQueue(options);
}
