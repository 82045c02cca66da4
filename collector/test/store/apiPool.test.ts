// Promise (docs/reliability.md, "Measurement integrity"): an API query cannot hold a database
// connection for minutes. The API pool's statement_timeout stops a long statement, and a
// statement started for an HTTP request is cancelled on the server when its client leaves.
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createPool } from '../../src/store/pool.js';
import { cancelOnClientGone, whileClientWaits } from '../../src/store/requestCancel.js';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
let check: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  check = new pg.Pool({ connectionString: db.url, max: 1 });
}, 60_000);
afterAll(async () => {
  await check?.end();
  await db?.drop();
});

/** Statements of `application` still running on the server. */
async function running(application: string): Promise<number> {
  const { rows } = await check.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`,
    [application],
  );
  return rows[0]!.n;
}

describe('the API pool', () => {
  it('stops a statement that runs past its statement timeout (57014)', async () => {
    const pool = createPool({ databaseUrl: db.url, logger, max: 1, statementTimeoutMs: 300, applicationName: 'api-timeout-test' });
    try {
      await expect(pool.query('SELECT pg_sleep(30)')).rejects.toMatchObject({ code: '57014' });
      // The connection is usable again at once.
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('cancels a running statement on the server when the request signal aborts, and frees the connection', async () => {
    const pool = cancelOnClientGone(createPool({ databaseUrl: db.url, logger, max: 1, applicationName: 'api-cancel-test' }));
    try {
      const gone = new AbortController();
      const query = whileClientWaits(gone.signal, () => pool.query('SELECT pg_sleep(30)'));
      const settled = query.then(
        () => 'finished',
        (error: { code?: string }) => error.code,
      );
      for (let i = 0; i < 100 && (await running('api-cancel-test')) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await running('api-cancel-test')).toBe(1);
      gone.abort();
      expect(await settled).toBe('57014');
      expect(await running('api-cancel-test')).toBe(0);
      // The pool's only connection serves the next request.
      expect((await pool.query('SELECT 2 AS two')).rows[0].two).toBe(2);
      // A request whose client has already left runs nothing.
      await expect(whileClientWaits(gone.signal, () => pool.query('SELECT 3'))).rejects.toMatchObject({ code: 'CLIENT_GONE' });
    } finally {
      await pool.end();
    }
  });
});
