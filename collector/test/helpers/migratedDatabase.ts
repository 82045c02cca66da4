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

export function useMigratedDatabase(): MigratedDatabase {
  let db: TestDatabase | undefined;
  let check: pg.Pool | undefined;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    check = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 120_000);
  afterAll(async () => {
    await check?.end();
    await db?.drop();
  }, 60_000);
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useMigratedDatabase: used outside a test (its beforeAll has not run)');
    return value;
  };
  return {
    get url() {
      return ready(db).url;
    },
    get check() {
      return ready(check);
    },
  };
}
