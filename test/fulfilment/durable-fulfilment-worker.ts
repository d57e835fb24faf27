// A fulfilment desk with its state on Redis (createRedisFulfilmentStore), in its own process,
// for durable-desk-kill.test.ts. Like bullmq-fulfilment-worker.ts, configured by environment:
// REDIS_HOST, REDIS_PORT, TENANT, WEBHOOK_URL, WEBHOOK_SECRET, CONCURRENCY. Prints one JSON
// line `{"ready":true,"restored":<orders>}` once it restored the store's state and registered
// its workers.
import { seededRandom, systemClock } from '@paceline/core';
import { openFulfilment } from '@paceline/fulfilment';
import { createBullJobQueue } from '@paceline/queue-bullmq';
import { createRedisFulfilmentStore } from '@paceline/store-redis';
import { Redis } from 'ioredis';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`durable-fulfilment-worker: ${name} is not set`);
  return value;
}

const clock = systemClock();
const connection = { host: env('REDIS_HOST'), port: Number(env('REDIS_PORT')) };
const queue = createBullJobQueue({
  connection,
  tenant: env('TENANT'),
  clock,
  random: seededRandom(process.pid),
  concurrency: Number(process.env.CONCURRENCY ?? '8'),
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
});
const redis = new Redis(connection);
const fulfilment = await openFulfilment({
  queue,
  clock,
  store: createRedisFulfilmentStore({ redis, tenant: env('TENANT') }),
  config: {
    timeZone: 'Europe/Madrid',
    pickup: {
      leadMinutes: 60,
      locations: [
        {
          id: 'sol',
          name: 'Paceline Store Sol',
          address: 'Puerta del Sol 5, Madrid',
          openingHours: { start: '10:00', end: '18:00' },
          slotMinutes: 60,
          capacityPerSlot: 3,
          openDays: [1, 2, 3, 4, 5, 6, 7],
        },
      ],
      horizonDays: 30,
    },
  },
  webhook: { url: env('WEBHOOK_URL'), secret: env('WEBHOOK_SECRET'), maxAttempts: 8, backoffMs: 200 },
});
process.once('SIGTERM', () => {
  void fulfilment
    .stop()
    .then(() => queue.close())
    .then(() => redis.quit())
    .finally(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ ready: true, restored: fulfilment.orders().length })}\n`);
