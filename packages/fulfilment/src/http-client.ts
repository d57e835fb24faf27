import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One outbound HTTP request (the webhook only POSTs JSON). */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The response: status and body text. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * The HTTP client the webhook uses: a function, so a host can swap in its own (proxy, mTLS,
 * tracing). Rejects on network errors; a non-2xx status is a response, not an error.
 */
export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * An {@link HttpClient} over Node's global `fetch`. `timeoutMs` (default 10 000) bounds each
 * request; it uses `AbortSignal.timeout` because a stuck socket is real time, not the
 * injected clock's — the clock only decides when retries run.
 */
export function fetchHttpClient(options: { timeoutMs?: number } = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (request) => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  };
}

/** Options of {@link nodeHttpClient}. */
export interface NodeHttpClientOptions {
  /** Bound on each request's socket inactivity, ms; default 10 000. */
  readonly timeoutMs?: number;
  /** Kept-alive connections per receiver; default 64 (enough for a BullMQ worker's concurrency). */
  readonly maxSockets?: number;
}

/**
 * An {@link HttpClient} over `node:http` / `node:https` with kept-alive connections: the
 * default of the webhook. It costs about a third of the CPU of `fetch` per request, which
 * matters at thousands of hand-offs a second. `timeoutMs` (default 10 000) bounds socket
 * inactivity on real time, like {@link fetchHttpClient}'s.
 */
export function nodeHttpClient(options: NodeHttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
  };
  return (request) =>
    new Promise((resolve, reject) => {
      const secure = request.url.startsWith('https:');
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        request.url,
        {
          method: request.method,
          agent: secure ? agents.https : agents.http,
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          timeout: timeoutMs,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`webhook request to ${request.url} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(request.body);
    });
}
