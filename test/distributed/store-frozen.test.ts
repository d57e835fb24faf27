// rb9 (issue-23's leftovers, after 23-realaway): the store's redis-server frozen (SIGSTOP) mid-day.
// One engine node (store, lease and BullMQ on a redis-server of the test's own) runs a progressive
// campaign; the server is frozen for 10 s while calls are up. Without a bound on the clients'
// commands every store, lease and queue call waited until SIGCONT and the outage was never reported.
// The day and its checks: frozen-store-day.ts (rb11: shared with test/cluster/cluster-frozen.test.ts).
import { Redis } from 'ioredis';
import { it } from 'vitest';
import { escapesToProcess } from '../support/escapes';
import { describeWithRedis, startRedisServer } from '../support/redis-server';
import { frozenStoreDay } from './frozen-store-day';

const escaped = escapesToProcess();

describeWithRedis('rb9: the store’s redis-server frozen mid-day (SIGSTOP), one engine node', (server) => {
  it('host calls settle within the bound, nothing escapes, nothing is dialled; after SIGCONT the campaign completes', async () => {
    void server(); // the file's server is unused: this test freezes one of its own
    const frozen = await startRedisServer();
    const reader = new Redis(frozen.url, { maxRetriesPerRequest: 2 }); // the test's own reads, after the freeze
    reader.on('error', () => {});
    try {
      await frozenStoreDay({
        url: frozen.url,
        tenant: `frozen-${process.pid}`,
        reader,
        freeze: () => process.kill(frozen.pid(), 'SIGSTOP'),
        thaw: () => process.kill(frozen.pid(), 'SIGCONT'),
        escaped,
      });
    } finally {
      reader.disconnect();
      await frozen.stop();
    }
  }, 120_000);
});
