// The process's one connection pool (made by the composition root, closed on shutdown).
import pg from 'pg';
import type { Logger } from 'pino';

export function createPool(opts: { databaseUrl: string; logger: Logger; max?: number }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'llmscope-collector',
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => opts.logger.warn(`database connection lost: ${error.message}`));
  return pool;
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, for logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
