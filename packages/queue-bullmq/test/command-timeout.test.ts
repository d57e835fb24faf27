// rb9 (issue 23's leftovers, after 23-realaway): the queue's calls are bounded. A server that accepts
// the connection and never answers (a frozen redis-server, SIGSTOP) left `enqueue` — an engine node's
// pool messages and order hand-offs — waiting for ever. End to end with a real frozen server:
// test/distributed/store-frozen.test.ts.
import { seededRandom, systemClock } from '@paceline/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { outcomeWithin, silentServer } from '../../../test/support/silent-server';
import { createBullJobQueue, QUEUE_CLOSE_TIMEOUT_MS, QUEUE_COMMAND_TIMEOUT_MS } from '../src/index';

let silent: Awaited<ReturnType<typeof silentServer>>;

beforeEach(async () => {
  silent = await silentServer();
});

afterEach(() => {
  silent.close();
});

const queueOn = (commandTimeoutMs?: number) =>
  createBullJobQueue({
    connection: { host: '127.0.0.1', port: silent.port },
    tenant: 't',
    clock: systemClock(),
    random: seededRandom(1),
    ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
  });

it('enqueue, deadLetters and replay to a server that never answers reject after commandTimeoutMs', async () => {
  const queue = queueOn(150);
  const started = Date.now();
  const calls: [string, Promise<unknown>][] = [
    ['enqueue', queue.enqueue('orders', { id: 1 })],
    ['enqueue with a key', queue.enqueue('orders', { id: 2 }, { idempotencyKey: 'o-2' })],
    ['deadLetters', queue.deadLetters?.('orders') ?? Promise.reject(new Error('no deadLetters'))],
    ['replay', queue.replay?.('orders', 'o-2') ?? Promise.reject(new Error('no replay'))],
  ];
  const outcomes = calls.map(([what, call]) =>
    call.then(
      (): [string, unknown] => [what, 'answered'],
      (error: unknown) => [what, String(error)],
    ),
  );
  for (const [what, outcome] of await Promise.all(outcomes))
    expect(outcome, what).toMatch(/BullJobQueue: \w+\(orders\) got no answer within 150 ms/);
  expect(Date.now() - started).toBeLessThan(5_000);
});

it('the bound is on by default (QUEUE_COMMAND_TIMEOUT_MS, 5 s), off with 0; a bad value is refused', async () => {
  expect(QUEUE_COMMAND_TIMEOUT_MS).toBe(5_000);
  const unbounded = queueOn(0).enqueue('orders', { id: 1 });
  await expect(queueOn().enqueue('orders', { id: 1 })).rejects.toThrow(/within 5000 ms/);
  expect(await outcomeWithin(unbounded, 300)).toBe('waiting'); // > 5.3 s after it was made
  expect(() => queueOn(-5)).toThrow(/BullJobQueue options.commandTimeoutMs/);
}, 15_000);

it('rb12: closeTimeoutMs defaults to 30 s (QUEUE_CLOSE_TIMEOUT_MS); 0 or a positive number, else refused', () => {
  expect(QUEUE_CLOSE_TIMEOUT_MS).toBe(30_000);
  const make = (closeTimeoutMs: number) => () =>
    createBullJobQueue({
      connection: { host: '127.0.0.1', port: silent.port },
      tenant: 't',
      clock: systemClock(),
      random: seededRandom(1),
      closeTimeoutMs,
    });
  expect(make(0)).not.toThrow();
  expect(make(-1)).toThrow(/BullJobQueue options.closeTimeoutMs/);
  expect(make(Number.NaN)).toThrow(/BullJobQueue options.closeTimeoutMs/);
});
