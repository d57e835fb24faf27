// A hopper claim whose answer a crash swallowed (issue 21, "appendfsync always"): Redis ran the
// claim and wrote it to its AOF, then died before the answer left. ioredis sends unanswered
// commands again after it reconnects (`autoResendUnfulfilledCommands`, on by default), so the
// claim runs a second time. Before the claim id, that second run took the next contacts and left
// the first run's `queued` with nobody to dial or hand them back — `test/distributed/redis-crash.test.ts`
// ended with "c7: left queued" under load. Here the lost answer is made by a proxy that forwards
// the claim to a real redis-server and cuts the connection instead of forwarding its answer.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ContactState, parseContact } from '@paceline/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../../../test/support/redis-server';
import { createRedisStore } from '../src/index';

const contact = (id: string) => parseContact({ id, phones: [{ number: '+14155550123' }] });

/** A TCP proxy to Redis; `dropNextAnswer()` makes it cut the connection instead of forwarding the server's next bytes. */
function replyDroppingProxy(host: string, port: number): Promise<{ server: Server; port: number; dropNextAnswer: () => void }> {
  let drop = false;
  const server = createServer((client: Socket) => {
    const upstream = createConnection({ host, port });
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (drop) {
        drop = false;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        port: typeof address === 'object' && address !== null ? address.port : 0,
        dropNextAnswer: () => {
          drop = true;
        },
      });
    });
  });
}

describeWithRedis('a hopper claim ioredis sends again after its answer was lost', (server) => {
  let proxy: Awaited<ReturnType<typeof replyDroppingProxy>>;
  const clients: Redis[] = [];

  beforeAll(async () => {
    proxy = await replyDroppingProxy(server().host, server().port);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await new Promise((resolve) => proxy?.server.close(resolve));
  });

  for (const journalMs of [0, 5_000]) {
    it(`answers with the contacts the first run claimed, and claims nothing more (journalMs ${journalMs})`, async () => {
      const tenant = `resent${journalMs}`;
      const client = new Redis(proxy.port, '127.0.0.1', { retryStrategy: () => 20 });
      client.on('error', () => {});
      clients.push(client);
      const store = createRedisStore({ redis: client, tenant, journalMs });
      await store.addContacts(
        'k1',
        ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => contact(id)),
      );
      // The first claim loads the script (EVALSHA answers NOSCRIPT once): its answer is not the one to drop.
      const [first] = await store.claimDue('k1', 10, 1);
      expect(first?.contact.id).toBe('c1');

      proxy.dropNextAnswer();
      const claimed = await store.claimDue('k1', 20, 2);

      // Whatever the claim answers is what is queued: no contact left queued that the engine does not hold.
      const queued = (await store.listContacts('k1', ContactState.Queued)).map((r) => r.contact.id).sort();
      expect(queued).toEqual(['c1', ...claimed.map((r) => r.contact.id)].sort());
      // The second run answered as the first: c2 and c3, at the version the claim gave them.
      expect(claimed.map((r) => r.contact.id)).toEqual(['c2', 'c3']);
      for (const r of claimed) expect(r.state).toBe(ContactState.Queued);
      for (const id of ['c4', 'c5']) expect((await store.getContact('k1', id))?.state).toBe(ContactState.Ready);
      // A later claim is a new claim: it takes the next contacts.
      expect((await store.claimDue('k1', 30, 5)).map((r) => r.contact.id)).toEqual(['c4', 'c5']);
    });
  }
});
