import type { Clock, Job, JobQueue } from '@paceline/core';
import type { HttpClient } from './http-client';
import { DELIVERY_HEADER, signWebhook, type WebhookSecrets } from './webhook-signature';

/** The JobQueue queue that carries webhook deliveries. */
export const WEBHOOK_QUEUE = 'fulfilment-webhook';

/** One event for the host's order system. The JSON of this object is the signed request body. */
export interface WebhookEvent {
  /** Stable per event, the same on every retry: `<orderId>:<name>`. */
  readonly id: string;
  readonly type: 'order.handed-off' | 'order.updated';
  readonly orderId: string;
  /** When the event happened, epoch ms. */
  readonly occurredAt: number;
  readonly data: unknown;
}

/** Where and how the webhook delivers. */
export interface WebhookOptions {
  readonly url: string;
  /** The shared HMAC secret (at least 16 characters); two while rotating it (each request carries a signature by each). */
  readonly secret: WebhookSecrets;
  /** Default: {@link nodeHttpClient} (kept-alive `node:http`); {@link fetchHttpClient} is the `fetch` one. */
  readonly http?: HttpClient;
  /** Deliveries before an event is dead-lettered; default 8. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff between retries, ms; default 1 000 (then ~2 s, ~4 s, … with jitter). */
  readonly backoffMs?: number;
}

/** Hooks the outbox reports through. */
export interface WebhookOutboxHooks {
  /** Awaited before the job completes (the desk records the delivery in its `FulfilmentStore`). */
  onDelivered(event: WebhookEvent, attempt: number): void | Promise<void>;
  /** True when the host's system accepted this event before (a job run again after a worker crash): it is not sent again. */
  wasDelivered?(event: WebhookEvent): Promise<boolean>;
  onDeadLettered(event: WebhookEvent, jobId: string, error: string, attempts: number): void;
}

interface Lane {
  /** A job of this order is queued, retrying or dead-lettered; the next event waits. */
  busy: boolean;
  readonly waiting: WebhookEvent[];
  readonly published: Set<string>;
}

/**
 * Delivers events to the host's order system over the JobQueue: signed, retried with backoff,
 * dead-lettered after `maxAttempts` (visible, replayable). Events of one order are delivered
 * in order: the next is enqueued only after the previous one was accepted, so a receiver that
 * was down gets everything after recovery, in order per order id. The per-order lanes are in
 * memory: events waiting behind an undelivered one do not survive a restart.
 */
export class WebhookOutbox {
  readonly #queue: JobQueue;
  readonly #clock: Clock;
  readonly #http: HttpClient;
  readonly #options: Required<Omit<WebhookOptions, 'http'>>;
  readonly #hooks: WebhookOutboxHooks;
  readonly #lanes = new Map<string, Lane>();

  constructor(queue: JobQueue, clock: Clock, http: HttpClient, options: WebhookOptions, hooks: WebhookOutboxHooks) {
    this.#queue = queue;
    this.#clock = clock;
    this.#http = http;
    this.#options = {
      url: options.url,
      secret: options.secret,
      maxAttempts: options.maxAttempts ?? 8,
      backoffMs: options.backoffMs ?? 1_000,
    };
    this.#hooks = hooks;
  }

  /** Start delivering; returns a function that stops. */
  start(): () => Promise<void> {
    return this.#queue.process<WebhookEvent>(WEBHOOK_QUEUE, (job) => this.#deliver(job));
  }

  /** Queue an event behind the order's earlier ones; an event id published before is ignored. */
  async publish(event: WebhookEvent): Promise<void> {
    let lane = this.#lanes.get(event.orderId);
    if (!lane) {
      lane = { busy: false, waiting: [], published: new Set() };
      this.#lanes.set(event.orderId, lane);
    }
    if (lane.published.has(event.id)) return;
    lane.published.add(event.id);
    if (lane.busy) {
      lane.waiting.push(event);
      return;
    }
    lane.busy = true;
    try {
      await this.#enqueue(event);
    } catch (error) {
      lane.busy = false;
      lane.published.delete(event.id);
      throw error;
    }
  }

  async #enqueue(event: WebhookEvent): Promise<void> {
    await this.#queue.enqueue(WEBHOOK_QUEUE, event, {
      idempotencyKey: `webhook:${event.id}`,
      maxAttempts: this.#options.maxAttempts,
      backoffMs: this.#options.backoffMs,
    });
  }

  async #deliver(job: Job<WebhookEvent>): Promise<void> {
    const event = job.payload;
    if (await this.#hooks.wasDelivered?.(event)) {
      await this.#advance(event.orderId);
      return;
    }
    const body = JSON.stringify(event);
    try {
      // Signed per attempt: a retry carries a fresh timestamp, so it is neither stale nor a replay.
      const response = await this.#http({
        url: this.#options.url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [DELIVERY_HEADER]: event.id,
          // The signature covers the event name too: a captured request cannot be re-labelled.
          ...signWebhook(this.#options.secret, body, this.#clock.now(), event.type),
        },
        body,
      });
      if (response.status < 200 || response.status >= 300) {
        throw new Error(`webhook ${this.#options.url} answered ${response.status} for ${event.id}`);
      }
    } catch (error) {
      // The queue dead-letters the job after this attempt; the order's lane stays blocked until a replay succeeds.
      if (job.attempt >= this.#options.maxAttempts) {
        this.#hooks.onDeadLettered(event, job.id, error instanceof Error ? error.message : String(error), job.attempt);
      }
      throw error;
    }
    await this.#hooks.onDelivered(event, job.attempt);
    await this.#advance(event.orderId);
  }

  async #advance(orderId: string): Promise<void> {
    const lane = this.#lanes.get(orderId);
    if (!lane) return;
    const next = lane.waiting.shift();
    if (!next) {
      lane.busy = false;
      return;
    }
    await this.#enqueue(next);
  }
}
