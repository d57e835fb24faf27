import Type, { type Static } from 'typebox';
import type { Issue } from '../errors';
import { createParser } from '../validation';
import { E164, Id } from './common';
import { Defaulted, type InputOf } from './input';

/** "`fraction` of the callers answered within `answerSeconds`" — e.g. 80% in 20 s. */
export const ServiceLevelSchema = Type.Object(
  {
    fraction: Type.Number({ minimum: 0, maximum: 1, default: 0.8, expected: 'a fraction between 0 and 1, e.g. 0.8' }),
    answerSeconds: Type.Number({ minimum: 0, default: 20, expected: 'a number of seconds ≥ 0, e.g. 20' }),
  },
  { additionalProperties: false, default: {} },
);
/** A service-level target. */
export type ServiceLevel = Static<typeof ServiceLevelSchema>;

/** A recorded message played to a waiting caller `afterSeconds` in the queue, then every `everySeconds` (if set). */
export const QueueMessageSchema = Type.Object(
  {
    afterSeconds: Type.Number({ minimum: 0, expected: 'seconds in the queue before the message, ≥ 0' }),
    messageId: Type.String({ minLength: 1, expected: 'the trunk message id, e.g. "all-agents-busy"' }),
    everySeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, expected: 'a repeat period in seconds, > 0' })),
  },
  { additionalProperties: false },
);
/** A message while waiting. */
export type QueueMessage = Static<typeof QueueMessageSchema>;

/** One inbound queue: the numbers it answers, the skills it needs, its priority and service level. */
export const InboundQueueSchema = Type.Object(
  {
    id: Id,
    /** The service lines this queue answers (E.164). Returned calls (to a campaign's caller ID) go to `returnedCallsQueue`. */
    numbers: Defaulted(Type.Array(E164, { default: [] })),
    /** Skills an agent needs for this queue (all of them). */
    skills: Defaulted(Type.Array(Type.String({ minLength: 1 }), { default: [] })),
    /** Higher is served first when an agent frees up and several queues have callers. */
    priority: Defaulted(Type.Integer({ default: 0, expected: 'an integer; higher is served first' })),
    serviceLevel: Defaulted(ServiceLevelSchema),
    /** Messages played while the caller waits. */
    messages: Defaulted(Type.Array(QueueMessageSchema, { default: [] })),
    /** After `afterSeconds` in this queue a caller moves to queue `queueId` (keeping its place by arrival time). */
    overflow: Type.Optional(
      Type.Object(
        {
          afterSeconds: Type.Number({ exclusiveMinimum: 0, expected: 'seconds in the queue before overflow, > 0' }),
          queueId: Id,
        },
        { additionalProperties: false },
      ),
    ),
    /** The script unknown or withheld callers get (the service script); returned calls get their campaign's script. */
    scriptId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
/** A validated inbound queue. */
export type InboundQueue = Static<typeof InboundQueueSchema>;

/** The inbound side of a dialer: its queues and where returned campaign calls go. */
export const InboundConfigSchema = Type.Object(
  {
    queues: Type.Array(InboundQueueSchema, { minItems: 1, expected: 'at least one queue' }),
    /** The queue a caller matched to a campaign contact joins (a returned call); default: the first queue. */
    returnedCallsQueue: Type.Optional(Id),
    /** Also answer calls to the campaigns' caller IDs (returned calls). Default true. */
    acceptCampaignCallerIds: Defaulted(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
/** A validated inbound configuration (defaults applied). */
export type InboundConfig = Static<typeof InboundConfigSchema>;
/** The inbound configuration as a host writes it. */
export type InboundConfigInput = InputOf<typeof InboundConfigSchema>;

function crossChecks(config: InboundConfig): Issue[] {
  const issues: Issue[] = [];
  const ids = new Map<string, number>();
  const owner = new Map<string, string>();
  config.queues.forEach((queue, i) => {
    const path = `inbound.queues[${i}]`;
    if (ids.has(queue.id)) issues.push({ path: `${path}.id`, message: `queue id "${queue.id}" is used twice; give each queue its own id` });
    ids.set(queue.id, i);
    for (const [j, number] of queue.numbers.entries()) {
      const other = owner.get(number);
      if (other !== undefined && other !== queue.id) {
        issues.push({
          path: `${path}.numbers[${j}]`,
          message: `number is already answered by queue "${other}"; a number belongs to one queue`,
        });
      }
      owner.set(number, queue.id);
    }
  });
  config.queues.forEach((queue, i) => {
    if (!queue.overflow) return;
    const path = `inbound.queues[${i}].overflow.queueId`;
    if (queue.overflow.queueId === queue.id) issues.push({ path, message: 'a queue cannot overflow to itself' });
    else if (!ids.has(queue.overflow.queueId))
      issues.push({ path, message: `no queue "${queue.overflow.queueId}"; overflow to one of ${[...ids.keys()].join(', ')}` });
  });
  if (config.returnedCallsQueue !== undefined && !ids.has(config.returnedCallsQueue)) {
    issues.push({
      path: 'inbound.returnedCallsQueue',
      message: `no queue "${config.returnedCallsQueue}"; use one of ${[...ids.keys()].join(', ')}`,
    });
  }
  return issues;
}

/**
 * Parse an inbound configuration: clone, apply defaults, validate. Throws `E_INVALID_CONFIG`
 * listing every problem with its path (`inbound.queues[1].overflow.queueId: no queue "x"; …`).
 */
export const parseInboundConfig = createParser<InboundConfig>(InboundConfigSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'inbound',
  checks: [{ fields: ['queues', 'returnedCallsQueue'], check: crossChecks }],
});
