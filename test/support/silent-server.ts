import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP server on 127.0.0.1 that accepts connections, reads everything and answers nothing: a
 * frozen redis-server (SIGSTOP) or a half-open link as a client sees it. rb9: one for the Redis
 * adapters' command-timeout tests (store-redis, queue-bullmq).
 */
export async function silentServer(): Promise<{ readonly port: number; readonly server: Server; close(): void }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    server,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** `'answered'`, `'failed'`, or `'waiting'` when `call` has not settled `ms` (real time) from now. */
export function outcomeWithin(call: Promise<unknown>, ms: number): Promise<'answered' | 'failed' | 'waiting'> {
  return Promise.race([
    call.then(
      () => 'answered' as const,
      () => 'failed' as const,
    ),
    new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), ms)),
  ]);
}
