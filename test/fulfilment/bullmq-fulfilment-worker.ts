// A fulfilment desk on BullMQ in its own process, for bullmq-worker-kill.test.ts: it processes
// the `fulfilment` queue of a tenant and POSTs each hand-off to the test's webhook receiver.
// Started with `node --import tsx --conditions=@paceline/source`; configured by environment:
// REDIS_HOST, REDIS_PORT, TENANT, WEBHOOK_URL, WEBHOOK_SECRET, CONCURRENCY.
// Prints `ready` once both workers are registered; SIGTERM stops it gracefully (SIGKILL is the test's point).
import { seededRandom, systemClock } from '@paceline/core';
import { createFulfilment } from '@paceline/fulfilment';
import { createBullJobQueue } from '@paceline/queue-bullmq';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`bullmq-fulfilment-worker: ${name} is not set`);
  return value;
}

const clock = systemClock();
const queue = createBullJobQueue({
  connection: { host: env('REDIS_HOST'), port: Number(env('REDIS_PORT')) },
  tenant: env('TENANT'),
  clock,
  random: seededRandom(process.pid),
  concurrency: Number(process.env.CONCURRENCY ?? '8'),
  // A dead worker's jobs go back to the queue within a few seconds, not BullMQ's default 30 s.
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
});
const fulfilment = createFulfilment({
  queue,
  clock,
  config: { timeZone: 'Europe/Madrid' },
  webhook: { url: env('WEBHOOK_URL'), secret: env('WEBHOOK_SECRET'), maxAttempts: 8, backoffMs: 200 },
});
process.once('SIGTERM', () => {
  void fulfilment
    .stop()
    .then(() => queue.close())
    .finally(() => process.exit(0));
});
process.stdout.write('ready\n');
