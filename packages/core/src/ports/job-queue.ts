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
  /** Jobs with the same key in the same queue are processed once in effect. */
  readonly idempotencyKey?: string;
  /** Epoch ms before which the job does not run (scheduled callbacks, delayed retries). */
  readonly runAt?: number;
  /** Runs before the job is dead-lettered; default 1. */
  readonly maxAttempts?: number;
  /** Base delay of the exponential backoff between retries. */
  readonly backoffMs?: number;
}

/** Durable jobs: callbacks, retries, the fulfilment hand-off. In memory by default, BullMQ distributed. */
export interface JobQueue {
  /** Add a job; returns its id (the existing one for a repeated idempotency key). */
  enqueue<P>(queue: string, payload: P, options?: EnqueueOptions): Promise<string>;
  /** Run `handler` for the queue's jobs; returns a function that stops processing. */
  process<P>(queue: string, handler: (job: Job<P>) => Promise<void>): () => Promise<void>;
  /** Stop all processing and release resources. */
  close(): Promise<void>;
}
