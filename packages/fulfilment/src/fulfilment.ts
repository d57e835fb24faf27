import {
  type Clock,
  type Issue,
  isPacelineError,
  type Job,
  type JobQueue,
  type Listener,
  type ListenerErrorHandler,
  ORDER_JOB_ATTEMPTS,
  ORDER_QUEUE,
  type Order,
  orderJobOptions,
  PacelineError,
  parseOrder,
  TypedEmitter,
} from '@paceline/core';
import type { CallbackRequest } from './callback-request';
import type { FulfilmentConfig } from './config-schema';
import { deliveryConfirmation, pickupConfirmation } from './customer-messages';
import { type DeliveryResult, parseDeliveryResult } from './delivery-result';
import { RoundAssigner } from './delivery-rounds';
import { resolveZone } from './delivery-zones';
import { type Escalation, EscalationDesk } from './escalation-desk';
import type { Assignment, FulfilmentDeadLetter, FulfilmentEvents } from './events';
import type { FeedbackOutcome } from './feedback-outcome';
import type { FulfilmentStore } from './fulfilment-store';
import { buildHandOffReport, type HandOffReport } from './handoff-report';
import { nodeHttpClient } from './http-client';
import { createMemoryFulfilmentStore } from './memory-fulfilment-store';
import type { OrderRecord } from './order-record';
import { OrderStatus, orderLifecycle } from './order-status';
import { parseFulfilmentConfig } from './parse-config';
import { type PickupAssignment, PickupBook, type PickupSlot, slotKey } from './pickup-book';
import { WEBHOOK_QUEUE, type WebhookEvent, type WebhookOptions, WebhookOutbox } from './webhook-outbox';

/** The queue the engine puts each sale's order on (core's order-queue contract, re-exported). */
export { ORDER_QUEUE };

const MINUTE_MS = 60_000;

/** Everything a fulfilment desk needs. */
export interface FulfilmentOptions {
  /** The JobQueue the engine enqueues orders on; webhook deliveries use it too. */
  readonly queue: JobQueue;
  readonly clock: Clock;
  /** Raw configuration (validated here, refused whole with path-named errors) or an already parsed one. */
  readonly config: unknown;
  /** The host's order system; without it a hand-off is recorded and emitted only. */
  readonly webhook?: WebhookOptions;
  /** The queue orders arrive on; default {@link ORDER_QUEUE}. */
  readonly orderQueue?: string;
  /** Attempts of an order job before it is dead-lettered; default 5 (the engine's). */
  readonly orderAttempts?: number;
  /** Called when an event listener throws; listener errors never reach the queue. */
  readonly onListenerError?: ListenerErrorHandler;
  /**
   * Where orders, pickup bookings, escalations, delivery-result outcomes and accepted webhook
   * deliveries are kept; default in memory (lost with the process). Pass
   * `createRedisFulfilmentStore` (`@paceline/store-redis`) so a restart or a crash loses none
   * of it and several workers share it, and call {@link Fulfilment.restore} (or use
   * {@link openFulfilment}) so a restarted desk sees what it had.
   */
  readonly store?: FulfilmentStore;
}

export type { FeedbackOutcome } from './feedback-outcome';

function webhookIssues(webhook: WebhookOptions): Issue[] {
  const issues: Issue[] = [];
  if (!URL.canParse(webhook.url) || !/^https?:$/.test(new URL(webhook.url).protocol)) {
    issues.push({ path: 'webhook.url', message: `expected an http(s) URL, got ${JSON.stringify(webhook.url)}` });
  }
  const secrets = typeof webhook.secret === 'string' ? [webhook.secret] : webhook.secret;
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < 16)) {
    issues.push({ path: 'webhook.secret', message: 'expected a secret (or, while rotating, secrets) of at least 16 characters' });
  }
  if (webhook.maxAttempts !== undefined && (!Number.isInteger(webhook.maxAttempts) || webhook.maxAttempts < 1)) {
    issues.push({ path: 'webhook.maxAttempts', message: `expected a positive integer, got ${webhook.maxAttempts}` });
  }
  if (webhook.backoffMs !== undefined && !(webhook.backoffMs >= 0)) {
    issues.push({ path: 'webhook.backoffMs', message: `expected a duration in ms, got ${webhook.backoffMs}` });
  }
  return issues;
}

function formatAddress(order: Order): string {
  const a = order.fulfilment.address;
  if (!a) return '';
  return [a.line1, a.line2, `${a.postalCode} ${a.city}`, a.region, a.country].filter((part) => part).join(', ');
}

/**
 * A fulfilment desk on the `JobQueue` port: it processes the engine's order queue, assigns
 * each order a delivery round or a pickup slot, hands it over (records it, tells the host's
 * order system through the signed webhook, emits `orderHandedOff`), takes delivery results
 * back and turns failures into callbacks or escalations under the departments' agreements.
 * Create it with {@link createFulfilment}.
 */
export class Fulfilment {
  /** The validated configuration. */
  readonly config: FulfilmentConfig;
  readonly #queue: JobQueue;
  readonly #clock: Clock;
  readonly #events: TypedEmitter<FulfilmentEvents>;
  readonly #pickup: PickupBook;
  readonly #rounds: RoundAssigner;
  readonly #desk: EscalationDesk;
  readonly #outbox: WebhookOutbox | undefined;
  readonly #orderQueue: string;
  readonly #orderAttempts: number;
  readonly #store: FulfilmentStore;
  /** This desk's view of the records (what it handled, and what {@link restore} loaded); the store holds the truth. */
  readonly #records = new Map<string, OrderRecord>();
  readonly #stops: (() => Promise<void>)[] = [];
  readonly #inflight = new Map<string, Promise<OrderRecord | undefined>>();
  /** Escalation writes made from timers (deadline reports), awaited by {@link stop}. */
  readonly #escalationWrites = new Set<Promise<void>>();

  constructor(options: FulfilmentOptions) {
    this.config = parseFulfilmentConfig(options.config);
    if (options.webhook) {
      const issues = webhookIssues(options.webhook);
      if (issues.length > 0) {
        throw new PacelineError('E_INVALID_CONFIG', `invalid webhook: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
          issues,
        });
      }
    }
    this.#queue = options.queue;
    this.#clock = options.clock;
    this.#store = options.store ?? createMemoryFulfilmentStore();
    this.#orderQueue = options.orderQueue ?? ORDER_QUEUE;
    this.#orderAttempts = options.orderAttempts ?? ORDER_JOB_ATTEMPTS;
    this.#events = new TypedEmitter<FulfilmentEvents>(options.onListenerError ? { onListenerError: options.onListenerError } : {});
    this.#rounds = new RoundAssigner(this.config);
    this.#pickup = new PickupBook({
      timeZone: this.config.timeZone,
      calendar: this.config.calendar,
      locations: this.config.pickup.locations,
      horizonDays: this.config.pickup.horizonDays,
    });
    this.#desk = new EscalationDesk(this.#clock, {
      onOverdue: (escalation, overdueByMs) => this.#events.emit('escalationOverdue', { escalation, overdueByMs }),
      onSupervisor: (escalation) => this.#events.emit('supervisorEscalation', escalation),
      onChange: (escalation) => this.#keepEscalation(escalation),
    });
    this.#outbox = options.webhook
      ? new WebhookOutbox(this.#queue, this.#clock, options.webhook.http ?? nodeHttpClient(), options.webhook, {
          onDelivered: (event, attempt) => this.#webhookDelivered(event, attempt),
          wasDelivered: async (event) => (await this.#store.deliveredAt(event.id)) !== undefined,
          onDeadLettered: (event, jobId, error, attempts) => this.#webhookDeadLettered(event, jobId, error, attempts),
        })
      : undefined;
  }

  /** Start processing the order queue (and webhook deliveries). `createFulfilment` calls it. */
  start(): void {
    if (this.#stops.length > 0) return;
    this.#stops.push(this.#queue.process<unknown>(this.#orderQueue, (job) => this.#process(job)));
    if (this.#outbox) this.#stops.push(this.#outbox.start());
  }

  /** Stop processing and cancel escalation timers; the queue itself stays open (the host owns it). */
  async stop(): Promise<void> {
    const stops = this.#stops.splice(0);
    this.#desk.stop();
    await Promise.all(stops.map((stop) => stop()));
    await Promise.all(this.#escalationWrites);
  }

  /**
   * Load what the store holds — order records, pickup bookings, escalations — into this desk's
   * view, and arm the escalations' deadlines again (a deadline that passed while the desk was
   * down is reported at once). Call it once after a restart, before reading `orders()`,
   * `escalations()` or `pickupSlots()`; {@link openFulfilment} does.
   */
  async restore(): Promise<void> {
    for (const record of await this.storedOrders()) {
      this.#records.set(record.order.id, record);
      if (record.assignment?.kind === 'pickup' && record.status !== OrderStatus.Rejected) {
        this.#pickup.restore(record.order.id, record.assignment);
      }
    }
    this.#desk.restore(await this.#store.listEscalations());
  }

  /** Subscribe to an event; returns a function that unsubscribes. */
  on<K extends keyof FulfilmentEvents>(event: K, listener: Listener<FulfilmentEvents, K>): () => void {
    return this.#events.on(event, listener);
  }

  /** Unsubscribe a listener. */
  off<K extends keyof FulfilmentEvents>(event: K, listener: Listener<FulfilmentEvents, K>): void {
    this.#events.off(event, listener);
  }

  /**
   * Put an order on the order queue, as the engine does (for hosts without the engine).
   * Validated first (`E_INVALID_ORDER`); the idempotency key makes a repeat a no-op. Returns the job id.
   */
  async submit(input: unknown): Promise<string> {
    const order = parseOrder(input);
    return this.#queue.enqueue(this.#orderQueue, order, orderJobOptions(order, this.#orderAttempts));
  }

  /**
   * Hand an order over now (what the queue handler does): validate, assign a round or a pickup
   * slot, record, publish to the webhook, emit `orderHandedOff`. An order whose idempotency
   * key was handed off (or rejected) before is returned as it stands, untouched. Invalid or
   * undeliverable orders are rejected (`orderRejected`), not thrown.
   */
  async handOff(input: unknown): Promise<OrderRecord | undefined> {
    const key = typeof input === 'object' && input !== null ? (input as { idempotencyKey?: unknown }).idempotencyKey : undefined;
    if (typeof key !== 'string') return this.#handOff(input);
    // Concurrent hand-offs of one order (a retried disposition racing the queue) run one after the other.
    const previous = this.#inflight.get(key) ?? Promise.resolve(undefined);
    const run = previous.catch(() => undefined).then(() => this.#handOff(input));
    this.#inflight.set(key, run);
    try {
      return await run;
    } finally {
      if (this.#inflight.get(key) === run) this.#inflight.delete(key);
    }
  }

  async #handOff(input: unknown): Promise<OrderRecord | undefined> {
    let order: Order;
    try {
      order = parseOrder(input);
    } catch (error) {
      if (!isPacelineError(error)) throw error;
      const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
      this.#events.emit('orderRejected', { orderId: typeof id === 'string' ? id : undefined, error });
      return undefined;
    }
    // The store, not this desk's view: another worker (or this one before a crash) may have handled it.
    const knownId = await this.#store.findOrder(order.idempotencyKey);
    const stored = knownId === undefined ? undefined : await this.#store.getOrder(knownId);
    const existing = stored && (await this.#withDelivery(stored));
    if (existing) this.#records.set(existing.order.id, existing);
    if (existing && existing.status !== OrderStatus.Received) return existing;
    const now = this.#clock.now();
    let record: OrderRecord = existing ?? { order, status: OrderStatus.Received, receivedAt: now, results: [] };
    if (!record.assignment) {
      let assignment: Assignment;
      try {
        assignment = await this.#assign(order, now);
      } catch (error) {
        if (!isPacelineError(error) || !['E_INVALID_ORDER', 'E_NOT_FOUND', 'E_CONFLICT'].includes(error.code)) throw error;
        await this.#save({
          ...record,
          status: orderLifecycle.transition(record.status, OrderStatus.Rejected, order.id),
          rejection: error.message,
        });
        this.#events.emit('orderRejected', { orderId: order.id, error });
        return this.#records.get(order.id);
      }
      const customerMessage =
        assignment.kind === 'pickup'
          ? pickupConfirmation(order.id, assignment, this.config.locale)
          : deliveryConfirmation(order.id, assignment, this.config.timeZone, this.config.locale);
      record = { ...record, assignment, customerMessage, ...(this.#outbox ? { webhook: 'pending' as const } : {}) };
    }
    await this.#save(record);
    const assignment = record.assignment as Assignment;
    const customerMessage = record.customerMessage ?? '';
    // Publish before marking handed-off: if the queue refuses the event, the job retries and republishes.
    await this.#outbox?.publish({
      id: `${order.id}:handed-off`,
      type: 'order.handed-off',
      orderId: order.id,
      occurredAt: now,
      data: { order, assignment, customerMessage },
    });
    record = await this.#withDelivery({
      ...record,
      status: orderLifecycle.transition(record.status, OrderStatus.HandedOff, order.id),
      handedOffAt: now,
    });
    await this.#save(record);
    // The host may have accepted the event between the read above and the save: this desk's view says so.
    const accepted = record.webhook === 'pending' ? await this.#withDelivery(record) : record;
    if (accepted !== record) this.#records.set(order.id, accepted);
    this.#events.emit('orderHandedOff', { order, assignment, customerMessage });
    return record;
  }

  /**
   * Record a delivery result (from the host's API or {@link createFeedbackReceiver}): the order
   * becomes `delivered` or `failed`, and a failure produces the configured follow-up — a
   * callback request (`callbackRequested`) and/or an escalation to a department (`escalated`).
   * A result whose `id` was recorded before returns the first outcome. Throws `E_INVALID_INPUT`,
   * `E_NOT_FOUND` (unknown order) or `E_CONFLICT` (the order was not handed off, or is delivered).
   */
  async recordDeliveryResult(input: unknown): Promise<FeedbackOutcome> {
    const parsed = parseDeliveryResult(input);
    if (parsed.id !== undefined) {
      const seen = await this.#store.getFeedback(parsed.id);
      if (seen) return seen;
    }
    const stored = await this.#store.getOrder(parsed.orderId);
    const current = stored && (await this.#withDelivery(stored));
    if (!current)
      throw new PacelineError('E_NOT_FOUND', `deliveryResult.orderId: no order "${parsed.orderId}" was handed off here`, {
        orderId: parsed.orderId,
      });
    const now = this.#clock.now();
    const target = parsed.result === 'delivered-paid' ? OrderStatus.Delivered : OrderStatus.Failed;
    if (!orderLifecycle.can(current.status, target)) {
      throw new PacelineError(
        'E_CONFLICT',
        `order ${parsed.orderId} is ${current.status}; a "${parsed.result}" result needs a handed-off or failed order`,
        {
          orderId: parsed.orderId,
          status: current.status,
        },
      );
    }
    const result: DeliveryResult = { ...parsed, at: parsed.at ?? now };
    const record: OrderRecord = { ...current, status: target, results: [...current.results, result] };
    await this.#save(record);
    const { order } = record;
    const rule = this.config.followUps[result.result] ?? {};
    let callback: CallbackRequest | undefined;
    if (rule.callback) {
      callback = {
        id: `cb-${order.id}-${await this.#store.nextSequence('callback')}`,
        orderId: order.id,
        campaignId: order.campaignId,
        contactId: order.contactId,
        ...(order.attemptId === undefined ? {} : { attemptId: order.attemptId }),
        result: result.result,
        reason: rule.callback.reason,
        ...(result.note === undefined ? {} : { note: result.note }),
        dueAt: now + rule.callback.delayMinutes * MINUTE_MS,
        requestedAt: now,
      };
    }
    let escalation: Escalation | undefined;
    if (rule.escalation) {
      const department = this.config.departments.find((d) => d.id === rule.escalation?.department);
      if (department) {
        const info: Record<string, string> = {
          orderId: order.id,
          campaignId: order.campaignId,
          contactId: order.contactId,
          result: result.result,
          items: order.items.map((i) => `${i.quantity} × ${i.name} (${i.sku})`).join('; '),
          payment: order.payment,
        };
        const address = formatAddress(order);
        if (address) info.address = address;
        if (result.note !== undefined) info.note = result.note;
        if (result.reportedBy !== undefined) info.reportedBy = result.reportedBy;
        if (order.notes !== undefined) info.orderNotes = order.notes;
        const seq = await this.#store.nextSequence('escalation');
        escalation = this.#desk.open(
          {
            orderId: order.id,
            campaignId: order.campaignId,
            contactId: order.contactId,
            department,
            topic: rule.escalation.topic,
            reason: `${result.result}${result.note === undefined ? '' : `: ${result.note}`}`,
            info,
          },
          seq,
        );
        await this.#store.putEscalation(escalation);
      }
    }
    let outcome: FeedbackOutcome = { record, ...(callback ? { callback } : {}), ...(escalation ? { escalation } : {}) };
    if (parsed.id !== undefined) outcome = await this.#store.recordFeedback(parsed.id, outcome);
    await this.#outbox?.publish({
      id: `${order.id}:result-${record.results.length}`,
      type: 'order.updated',
      orderId: order.id,
      occurredAt: now,
      data: { orderId: order.id, status: target, result, ...(callback ? { callback } : {}), ...(escalation ? { escalation } : {}) },
    });
    this.#events.emit('deliveryResult', { order, result, status: target });
    if (callback) this.#events.emit('callbackRequested', callback);
    if (escalation) this.#events.emit('escalated', escalation);
    return outcome;
  }

  /** An order's record by order id, as this desk knows it (what it handled, and what {@link restore} loaded). */
  order(orderId: string): OrderRecord | undefined {
    return this.#records.get(orderId);
  }

  /** Every order record this desk knows, in the order received. {@link storedOrders} reads every worker's. */
  orders(): OrderRecord[] {
    return [...this.#records.values()];
  }

  /** Every order record in the store (every worker's), in the order received. */
  async storedOrders(): Promise<OrderRecord[]> {
    return Promise.all((await this.#store.listOrders()).map((record) => this.#withDelivery(record)));
  }

  /**
   * A stored record with its webhook state from the delivered ledger: a delivery marks the
   * ledger only (one write, no read-modify-write of the record racing the hand-off's), so a
   * record stored as `pending` whose hand-off event the host accepted is `delivered`.
   */
  async #withDelivery(record: OrderRecord): Promise<OrderRecord> {
    if (record.webhook !== 'pending') return record;
    const accepted = await this.#store.deliveredAt(`${record.order.id}:handed-off`);
    return accepted === undefined ? record : { ...record, webhook: 'delivered' };
  }

  /** Pickup slots of a location starting in `[fromMs, toMs)`, with remaining capacity. Throws `E_NOT_FOUND` for an unknown location. */
  pickupSlots(locationId: string, fromMs: number, toMs: number): PickupSlot[] {
    return this.#pickup.slots(locationId, fromMs, toMs);
  }

  /** Every escalation, oldest first. */
  escalations(): Escalation[] {
    return this.#desk.list();
  }

  /** A department responded to an escalation (meets its agreed response time if in time); resolves once stored. */
  async acknowledgeEscalation(id: string): Promise<Escalation> {
    const escalation = this.#desk.acknowledge(id);
    await this.#store.putEscalation(escalation);
    return escalation;
  }

  /** Close an escalation; resolves once stored. */
  async resolveEscalation(id: string, resolution: string): Promise<Escalation> {
    const escalation = this.#desk.resolve(id, resolution);
    await this.#store.putEscalation(escalation);
    return escalation;
  }

  /** Report every escalation deadline passed at the clock's time (timers do this on their own). */
  checkEscalations(): void {
    this.#desk.check();
  }

  /** Dead-lettered order and webhook jobs, visible until replayed. */
  async deadLetters(): Promise<FulfilmentDeadLetter[]> {
    const out: FulfilmentDeadLetter[] = [];
    for (const queue of [this.#orderQueue, WEBHOOK_QUEUE]) {
      for (const dead of await this.#queue.deadLetters<unknown>(queue)) {
        const payload = dead.job.payload as { orderId?: unknown; id?: unknown } | undefined;
        const orderId = queue === WEBHOOK_QUEUE ? payload?.orderId : payload?.id;
        out.push({
          queue,
          jobId: dead.job.id,
          ...(typeof orderId === 'string' ? { orderId } : {}),
          error: dead.error,
          attempts: dead.job.attempt,
          failedAt: dead.failedAt,
        });
      }
    }
    return out;
  }

  /** Put a dead-lettered job back with a fresh attempt budget. Throws `E_NOT_FOUND` when there is no such dead letter. */
  async replay(queue: string, jobId: string): Promise<void> {
    if (queue === WEBHOOK_QUEUE) {
      const dead = (await this.#queue.deadLetters<WebhookEvent>(queue)).find((d) => d.job.id === jobId);
      if (dead && dead.job.payload.type === 'order.handed-off') await this.#setWebhook(dead.job.payload.orderId, 'pending');
    }
    await this.#queue.replay(queue, jobId);
  }

  /** The daily hand-off report for a local date (`YYYY-MM-DD`, centre's zone). */
  report(date: string): HandOffReport {
    return buildHandOffReport(date, this.config.timeZone, this.#records.values(), this.#desk.list());
  }

  async #process(job: Job<unknown>): Promise<void> {
    try {
      await this.handOff(job.payload);
    } catch (error) {
      if (job.attempt >= this.#orderAttempts) {
        const id = (job.payload as { id?: unknown } | undefined)?.id;
        this.#events.emit('deadLettered', {
          queue: job.queue,
          jobId: job.id,
          ...(typeof id === 'string' ? { orderId: id } : {}),
          error: error instanceof Error ? error.message : String(error),
          attempts: job.attempt,
          failedAt: this.#clock.now(),
        });
      }
      throw error;
    }
  }

  async #assign(order: Order, now: number): Promise<Assignment> {
    const choice = order.fulfilment;
    if (choice.kind === 'pickup') {
      const earliest = Math.max(now, order.createdAt) + this.config.pickup.leadMinutes * MINUTE_MS;
      return this.#bookPickup(order.id, choice.locationId ?? '', earliest, choice.slotStartAt);
    }
    // parseOrder guarantees an address for delivery.
    const zone = choice.address ? resolveZone(choice.address, this.config.zones) : undefined;
    return this.#rounds.assign(order.createdAt, zone?.rounds, zone?.id);
  }

  /**
   * Take a place in the first free candidate slot, in the store (atomic, shared by workers):
   * the store's counts first, then claims in order until one holds. A repeat for the same
   * order gets its place back (the claim is per order id).
   */
  async #bookPickup(orderId: string, locationId: string, earliestAt: number, requestedAt?: number): Promise<PickupAssignment> {
    const candidates = this.#pickup.candidates(locationId, earliestAt, requestedAt);
    const capacity = this.#pickup.capacity(locationId);
    const keys = candidates.map((slot) => slotKey(slot.locationId, slot.startAt));
    const taken = await this.#store.pickupTaken(keys);
    for (const [i, slot] of candidates.entries()) {
      const key = keys[i] as string;
      this.#pickup.noteTaken(key, taken[i] ?? 0);
      // A slot that looks full may hold this very order (a job run again): the claim says so.
      if (await this.#store.claimPickupSlot(key, orderId, capacity)) return this.#pickup.hold(orderId, slot, requestedAt);
    }
    throw new PacelineError('E_CONFLICT', `pickup at "${locationId}": no free slot within ${this.config.pickup.horizonDays} days`, {
      locationId,
      orderId,
    });
  }

  async #save(record: OrderRecord): Promise<void> {
    await this.#store.putOrder(record);
    this.#records.set(record.order.id, record);
  }

  async #setWebhook(orderId: string, state: NonNullable<OrderRecord['webhook']>): Promise<void> {
    const record = (await this.#store.getOrder(orderId)) ?? this.#records.get(orderId);
    if (record) await this.#save({ ...record, webhook: state });
  }

  #markLocal(orderId: string, state: NonNullable<OrderRecord['webhook']>): void {
    const record = this.#records.get(orderId);
    if (record) this.#records.set(orderId, { ...record, webhook: state });
  }

  #keepEscalation(escalation: Escalation): void {
    // Deadline reports come from timers: the write is tracked (stop() awaits it), never thrown
    // into the timer. A failed write leaves the flag unset in the store: after a restart the
    // deadline is reported again (at least once).
    const write: Promise<void> = this.#store.putEscalation(escalation).then(
      () => {
        this.#escalationWrites.delete(write);
      },
      () => {
        this.#escalationWrites.delete(write);
      },
    );
    this.#escalationWrites.add(write);
  }

  async #webhookDelivered(event: WebhookEvent, attempt: number): Promise<void> {
    await this.#store.markDelivered(event.id, this.#clock.now());
    if (event.type === 'order.handed-off') this.#markLocal(event.orderId, 'delivered');
    this.#events.emit('webhookDelivered', { event, attempt });
  }

  #webhookDeadLettered(event: WebhookEvent, jobId: string, error: string, attempts: number): void {
    if (event.type === 'order.handed-off') void this.#setWebhook(event.orderId, 'dead-lettered').catch(() => {});
    this.#events.emit('deadLettered', {
      queue: WEBHOOK_QUEUE,
      jobId,
      orderId: event.orderId,
      error,
      attempts,
      failedAt: this.#clock.now(),
    });
  }
}

/** Create a fulfilment desk and start processing the order queue. */
export function createFulfilment(options: FulfilmentOptions): Fulfilment {
  const fulfilment = new Fulfilment(options);
  fulfilment.start();
  return fulfilment;
}

/** Create a fulfilment desk on a durable store: restore what the store holds, then start processing. */
export async function openFulfilment(options: FulfilmentOptions): Promise<Fulfilment> {
  const fulfilment = new Fulfilment(options);
  await fulfilment.restore();
  fulfilment.start();
  return fulfilment;
}
