// Cancels the API's running statements when the HTTP client that asked for them goes away.
// The HTTP layer runs each request inside `whileClientWaits(signal, …)`; every pool.query made
// during that request (however deep in the store modules) then runs on a client of its own
// whose statement is cancelled on the server (the Postgres cancel protocol) when the signal
// aborts, so an abandoned 10-minute query stops holding a connection (docs/reliability.md).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import pg from 'pg';

const requestSignal = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` (and everything it starts) as the work of a client whose departure aborts `signal`. */
export function whileClientWaits<T>(signal: AbortSignal, fn: () => T): T {
  return requestSignal.run(signal, fn);
}

/** The error a query gets when its client has gone before it started. */
function clientGone(): Error {
  return Object.assign(new Error('the HTTP client closed the connection; query not run'), { code: 'CLIENT_GONE' });
}

/** What node-postgres keeps of a connection that a cancel request needs (not in @types/pg). */
interface BackendIdentity {
  processID: number;
  secretKey: number;
  host: string;
  port: number;
}

/**
 * Sends the protocol's CancelRequest for `target`'s running statement over a short-lived
 * connection of its own, as psql's Ctrl-C does; it takes no slot of the pool (which may be the
 * very thing that is exhausted). The same as pg's Client.cancel, without its deprecated
 * activeQuery check.
 */
function sendCancel(config: pg.PoolConfig, target: pg.PoolClient): void {
  const { processID, secretKey, host, port } = target as unknown as BackendIdentity;
  const sender = new pg.Client(config) as unknown as {
    connection: EventEmitter & { connect(...a: unknown[]): void; cancel(pid: number, key: number): void; end(): void };
  };
  const con = sender.connection;
  con.on('error', () => undefined); // the server closes the cancel connection itself
  con.once('connect', () => con.cancel(processID, secretKey));
  if (host.startsWith('/')) con.connect(`${host}/.s.PGSQL.${port}`);
  else con.connect(port, host);
}

type QueryArgs = [text: string | pg.QueryConfig, values?: unknown[]];

/**
 * Makes `pool.query` cancellable by the request signal in force when it is called. Queries
 * made outside a request (or with a callback) run as before.
 */
export function cancelOnClientGone(pool: pg.Pool): pg.Pool {
  const plain = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const cancellable = async (signal: AbortSignal, args: QueryArgs): Promise<pg.QueryResult> => {
    if (signal.aborted) throw clientGone();
    const client = await pool.connect();
    if (signal.aborted) {
      client.release();
      throw clientGone();
    }
    const onAbort = () => sendCancel(pool.options, client);
    signal.addEventListener('abort', onAbort, { once: true });
    // A checked-out client has no pool 'error' listener (pool.query adds one; this replaces it):
    // a server shutdown would be an unhandled 'error' event and kill the process. The query in
    // progress fails with the same error; the connection is then closed, not reused.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      return await (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args);
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.removeListener('error', onError);
      client.release(lost);
    }
  };
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    const signal = requestSignal.getStore();
    if (!signal || typeof args[args.length - 1] === 'function') return plain(...args);
    return cancellable(signal, args as QueryArgs);
  };
  return pool;
}
