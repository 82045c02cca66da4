// One keep-alive connection pool per model server (an undici Pool for the target's origin).
// Global fetch cost about a quarter of the collector's CPU at 1 000 probes/s (WHATWG
// Request/Response/streams per probe, docs/performance.md); undici's request() on a pool
// hands back a plain Node stream, and the socket of the previous probe is reused.
//
// Keeping the measurement honest (docs/scaling.md, "Probe cadence at scale"):
// - the pool has no connection limit, so a probe never waits for another probe's socket and
//   its latency never includes queueing inside the collector;
// - nothing is retried and redirects are not followed (no maxRedirections);
// - the caller's deadline aborts the request; undici's own header/body timeouts sit just
//   past it, only to free a socket whose server stalls after the reply was complete.
import { STATUS_CODES } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

/** What a model server answered: status, headers and the body as a Node stream. */
export type ServerReply = Dispatcher.ResponseData;

export interface ServerRequest {
  method: 'GET' | 'POST';
  /** Path under the target URL, e.g. `/api/generate`. */
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  signal: AbortSignal;
  /** The caller's deadline; undici's own timeouts are set just past it. */
  timeoutMs?: number;
}

/** undici's timeouts fire this long after the caller's deadline, so the deadline always decides. */
const BACKSTOP_MS = 1000;
/** An idle socket is closed after this; below the 5 s idle timeout of Node and most proxies. */
const KEEP_ALIVE_MS = 4000;

export class ServerConnection {
  /** The target URL without a trailing slash, as the samples' errors name it. */
  readonly baseUrl: string;
  private readonly basePath: string;
  private readonly pool: Pool;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: null, pipelining: 1, keepAliveTimeout: KEEP_ALIVE_MS });
  }

  request({ method, path, headers, body, signal, timeoutMs }: ServerRequest): Promise<ServerReply> {
    const timeout = timeoutMs === undefined ? undefined : timeoutMs + BACKSTOP_MS;
    return this.pool.request({
      method,
      path: this.basePath + path,
      headers: headers ?? null,
      body: body ?? null,
      signal,
      ...(timeout === undefined ? {} : { headersTimeout: timeout, bodyTimeout: timeout }),
    });
  }

  /** Closes the idle sockets and refuses new requests; requests in flight finish first. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** The reason phrase of a status code ("Bad Gateway"), for replies whose body says nothing. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? '';
}

/**
 * Gives up a reply's body: its socket is closed rather than returned to the pool. undici then
 * emits an 'error' on the body, which nobody reads any more.
 */
export function discardBody(body: ServerReply['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
