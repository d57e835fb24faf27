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
