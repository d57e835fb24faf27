/** A job as a handler receives it. */
export interface Job<P> {
  readonly id: string;
  readonly queue: string;
  readonly payload: P;
  /** 1 on the first run, 2 on the first retry, … */
  readonly attempt: number;
}

/** Options for one enqueued job. */
export interface EnqueueOptions {
  /** Jobs with the same key in the same queue are processed once in effect; the key becomes the job id. */
  readonly idempotencyKey?: string;
  /** Epoch ms before which the job does not run (scheduled callbacks, delayed retries). */
  readonly runAt?: number;
  /** Runs before the job is dead-lettered; default 1. */
  readonly maxAttempts?: number;
  /** Base delay of the exponential backoff between retries, in ms; default 1000. Jitter comes from the injected `Random`. */
  readonly backoffMs?: number;
}

/** A job that failed `maxAttempts` times, kept visible until replayed. */
export interface DeadLetter<P = unknown> {
  readonly job: Job<P>;
  /** The last error's message. */
  readonly error: string;
  readonly failedAt: number;
}

/** Durable jobs: callbacks, retries, the fulfilment hand-off. In memory by default, BullMQ distributed. */
export interface JobQueue {
  /** Add a job; returns its id (the existing one for a repeated idempotency key). */
  enqueue<P>(queue: string, payload: P, options?: EnqueueOptions): Promise<string>;
  /** Run `handler` for the queue's jobs, one at a time; returns a function that stops processing. */
  process<P>(queue: string, handler: (job: Job<P>) => Promise<void>): () => Promise<void>;
  /** Jobs of a queue that exhausted their attempts. */
  deadLetters<P = unknown>(queue: string): Promise<DeadLetter<P>[]>;
  /** Put a dead-lettered job back in its queue with a fresh attempt budget. */
  replay(queue: string, jobId: string): Promise<void>;
  /** Stop all processing and release resources. */
  close(): Promise<void>;
}
