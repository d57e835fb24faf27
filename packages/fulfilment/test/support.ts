import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Order } from '@paceline/core';
import { orderFromSale, type SaleInput } from '../src/index';

/** Let pending promise chains and I/O callbacks run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

export { waitFor } from '../../../test/support/wait-for';

/** A sale with a delivery address, taken at `createdAt`. */
export function sale(attemptId: string, createdAt: number, overrides: Partial<SaleInput> = {}): SaleInput {
  return {
    attemptId,
    campaignId: 'c-1',
    contactId: `ct-${attemptId}`,
    createdAt,
    items: [{ sku: 'SIM-5G', name: '5G SIM plan', quantity: 1, unitPriceMinor: 1999 }],
    currency: 'EUR',
    fulfilment: { kind: 'delivery', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } },
    payment: 'on-delivery',
    notes: 'not before 10:00',
    ...overrides,
  };
}

/** The validated order of {@link sale}. */
export function order(attemptId: string, createdAt: number, overrides: Partial<SaleInput> = {}): Order {
  return orderFromSale(sale(attemptId, createdAt, overrides));
}

/** A request a test server received, with its raw body. */
export interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A real local HTTP server; `respond` decides each answer. */
export async function startServer(respond: (request: Received, res: ServerResponse) => void | Promise<void>): Promise<{
  url: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    received.push(request);
    await respond(request, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/orders`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
