// The database set-up most collector test files share: a migrated throw-away database for
// the describe block it is called in, and a small pool to check its tables with.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from './database.js';

export interface MigratedDatabase {
  readonly url: string;
  /** A pool of its own, for the test's assertions (not the collector's pool). */
  readonly check: pg.Pool;
}

/**
 * A throw-away database for the describe block it is called in: made by `create` and then
 * `prepare`d in beforeAll, with a pool of `max` connections on it; both gone in afterAll (the
 * database also when `prepare` failed). `hook` names the caller in the error for a use outside
 * a test.
 */
export function useTestDatabase(
  hook: string,
  create: () => Promise<TestDatabase>,
  max: number,
  prepare?: (url: string) => Promise<void>,
): { readonly url: string; readonly pool: pg.Pool } {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    db = await create();
    await prepare?.(db.url);
    pool = new pg.Pool({ connectionString: db.url, max });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  }, 60_000);
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${hook}: used outside a test (its beforeAll has not run)`);
    return value;
  };
  return {
    get url() {
      return ready(db).url;
    },
    get pool() {
      return ready(pool);
    },
  };
}

export function useMigratedDatabase(): MigratedDatabase {
  const db = useTestDatabase('useMigratedDatabase', createMigratedTestDatabase, 2);
  return {
    get url() {
      return db.url;
    },
    get check() {
      return db.pool;
    },
  };
}
