import { type Clock, commandTimeoutOf, systemClock } from '@paceline/core';
import type { Escalation, FeedbackOutcome, FulfilmentStore, OrderRecord } from '@paceline/fulfilment';
import { boundedClient, STORE_COMMAND_TIMEOUT_MS } from './command-timeout';
import { RedisKeys } from './keys';
import { LuaScript, type RedisClient } from './lua-script';

/*
 * A tenant's fulfilment state, every key under one hash tag `{<tenant>}` so the scripts that
 * touch several of them run on one Redis Cluster node:
 *
 *   <p>:<t>:f:{<t>}:orders        hash  orderId → OrderRecord JSON
 *   <p>:<t>:f:{<t>}:orders:index  list  orderIds, first put first
 *   <p>:<t>:f:{<t>}:order-keys    hash  idempotencyKey → orderId (the first)
 *   <p>:<t>:f:{<t>}:slot:<slot>   set   orderIds holding a place in pickup slot <locationId>@<startAt>
 *   <p>:<t>:f:{<t>}:escalations   hash  escalationId → Escalation JSON
 *   <p>:<t>:f:{<t>}:escalations:index list escalationIds, oldest first
 *   <p>:<t>:f:{<t>}:feedback      hash  delivery result id → FeedbackOutcome JSON (the first)
 *   <p>:<t>:f:{<t>}:seq           hash  counter name → last value
 *   <p>:<t>:f:{<t>}:delivered     hash  webhook event id → when the host accepted it (epoch ms)
 */

/**
 * KEYS: 1 the records hash, 2 its index list, 3 (orders only) the idempotency-key hash.
 * ARGV: 1 id, 2 JSON, 3 (orders only) idempotency key.
 * Returns 1 when new, 0 when replaced (the index keeps its first place).
 */
const putRecordScript = new LuaScript(
  'fulfilmentPutRecord',
  `
local new = redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if new == 1 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
if KEYS[3] then redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[1]) end
return new
`,
);

/**
 * KEYS: 1 the slot's set. ARGV: 1 orderId, 2 capacity.
 * Returns 1 when the order holds a place (now or before), 0 when the slot is full.
 */
const claimSlotScript = new LuaScript(
  'fulfilmentClaimSlot',
  `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
`,
);

/** Options of {@link createRedisFulfilmentStore}. */
export interface RedisFulfilmentStoreOptions {
  /** A connected ioredis client (one server or a Cluster); the host owns it. */
  readonly redis: RedisClient;
  readonly tenant: string;
  /** Default `paceline`, as for `createRedisStore`. */
  readonly keyPrefix?: string;
  /**
   * rb11: the longest each command waits for Redis's answer, ms; default `STORE_COMMAND_TIMEOUT_MS`
   * (5 s), as the store; 0: no bound. A frozen server answers nothing and ioredis waits for ever: the
   * desk's hand-offs, delivery results and order jobs would hang with it. Past the bound the call
   * rejects (an order job is retried by its queue, a webhook answered 5xx); Redis may still run the
   * command when it wakes — every write here is safe to repeat (records by id, the first outcome of
   * a result, a slot place by order id; a sequence number may be skipped).
   */
  readonly commandTimeoutMs?: number;
  /** The bound's timers; default the system clock. */
  readonly clock?: Clock;
}

/**
 * A fulfilment desk's state ({@link FulfilmentStore}) on Redis: orders, pickup bookings,
 * escalations, delivery-result outcomes and accepted webhook deliveries survive a crash of
 * the desk (with AOF, see docs/distributed.md for what a Redis crash can lose) and are shared
 * by every desk worker of the tenant. Pickup places are taken by a Lua script, so two workers
 * never overbook a slot. Works on one Redis server and on Redis Cluster.
 */
export function createRedisFulfilmentStore(options: RedisFulfilmentStoreOptions): FulfilmentStore {
  const { tenant } = options;
  const timeoutMs = commandTimeoutOf(options.commandTimeoutMs, STORE_COMMAND_TIMEOUT_MS, 'RedisFulfilmentStore');
  const redis = boundedClient(options.redis, timeoutMs, options.clock ?? systemClock(), 'RedisFulfilmentStore');
  const base = `${new RedisKeys(options.keyPrefix ?? 'paceline', tenant).root}f:{${tenant}}:`;
  const k = {
    orders: `${base}orders`,
    ordersIndex: `${base}orders:index`,
    orderKeys: `${base}order-keys`,
    slot: (slot: string) => `${base}slot:${slot}`,
    escalations: `${base}escalations`,
    escalationsIndex: `${base}escalations:index`,
    feedback: `${base}feedback`,
    seq: `${base}seq`,
    delivered: `${base}delivered`,
  };
  const parse = <T>(json: string | null | undefined): T | undefined => (json == null ? undefined : (JSON.parse(json) as T));
  const listed = async <T>(hash: string, index: string): Promise<T[]> => {
    const ids = await redis.lrange(index, 0, -1);
    if (ids.length === 0) return [];
    const values = await redis.hmget(hash, ...ids);
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as T);
  };
  return {
    async getOrder(orderId) {
      return parse<OrderRecord>(await redis.hget(k.orders, orderId));
    },
    async findOrder(idempotencyKey) {
      return (await redis.hget(k.orderKeys, idempotencyKey)) ?? undefined;
    },
    async putOrder(record) {
      await putRecordScript.run(
        redis,
        [k.orders, k.ordersIndex, k.orderKeys],
        [record.order.id, JSON.stringify(record), record.order.idempotencyKey],
      );
    },
    async listOrders() {
      return listed<OrderRecord>(k.orders, k.ordersIndex);
    },
    async claimPickupSlot(slot, orderId, capacity) {
      return Number(await claimSlotScript.run(redis, [k.slot(slot)], [orderId, capacity])) === 1;
    },
    async releasePickupSlot(slot, orderId) {
      return (await redis.srem(k.slot(slot), orderId)) === 1;
    },
    async pickupTaken(slots) {
      // One SCARD per slot (all in the tenant's slot on Cluster), pipelined.
      const pipeline = redis.pipeline();
      for (const slot of slots) pipeline.scard(k.slot(slot));
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, count]) => {
        if (error) throw error;
        return Number(count);
      });
    },
    async putEscalation(escalation) {
      await putRecordScript.run(redis, [k.escalations, k.escalationsIndex], [escalation.id, JSON.stringify(escalation)]);
    },
    async listEscalations() {
      return listed<Escalation>(k.escalations, k.escalationsIndex);
    },
    async recordFeedback(resultId, outcome) {
      await redis.hsetnx(k.feedback, resultId, JSON.stringify(outcome));
      return parse<FeedbackOutcome>(await redis.hget(k.feedback, resultId)) as FeedbackOutcome;
    },
    async getFeedback(resultId) {
      return parse<FeedbackOutcome>(await redis.hget(k.feedback, resultId));
    },
    async nextSequence(name) {
      return redis.hincrby(k.seq, name, 1);
    },
    async markDelivered(eventId, at) {
      return (await redis.hsetnx(k.delivered, eventId, String(at))) === 1;
    },
    async deliveredAt(eventId) {
      const at = await redis.hget(k.delivered, eventId);
      return at === null ? undefined : Number(at);
    },
  };
}
