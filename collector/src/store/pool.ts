// The collector's connection pools, made by the composition root and closed on shutdown: one
// for the store writer and one for the HTTP API, so API load can never take the connections
// the writer needs (docs/reliability.md, "Measurement integrity").
import pg from 'pg';
import type { Logger } from 'pino';

export interface PoolOptions {
  databaseUrl: string;
  logger: Logger;
  max?: number;
  /** Server-side limit on each statement (Postgres statement_timeout), in ms; none when absent. */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell the writer from the API. */
  applicationName?: string;
}

export function createPool(opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? 'llmscope-collector',
    // JIT compiles every expression of every day partition a query touches: on a month of
    // samples it spent 2.2 of a 2.6 s chart query compiling (docs/performance.md). These are
    // short index-driven queries; they never gain from it. work_mem 16 MB: the long-range chart
    // groups a month of minute rollups (43 200 rows of a series) by a hash; under the default
    // 4 MB the planner sorted them on disk instead (docs/performance.md).
    options: '-c jit=off -c work_mem=16MB',
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => opts.logger.warn(`database connection lost: ${error.message}`));
  return pool;
}

/** Query parameters of a connection URL that carry a secret (libpq: password, sslpassword). */
const SECRET_PARAMS = ['password', 'sslpassword'];

/** postgres://user:secret@host/db?sslpassword=x → postgres://user:***@host/db?sslpassword=***, for logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.includes(name.toLowerCase())) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@').replace(/([?&](?:ssl)?password=)[^&]*/gi, '$1***');
  }
}
