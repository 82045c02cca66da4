// The set-up the API test files share: a migrated throw-away database seeded with the
// planned violations of violationFixture.ts, a pool on it, and the real express app over it.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testApi, type TestApiOptions } from './fixtures.js';
import { seedViolations, type SeededData } from './violationFixture.js';

export interface SeededApi {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly seeded: SeededData;
  /** The app over the seeded pool (supertest), with any other option set. */
  api(options?: Omit<TestApiOptions, 'pool'>): ReturnType<typeof testApi>;
}

/** Call in a test file (or describe block); the database lives until its afterAll. */
export function useSeededApi(): SeededApi {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let seeded: SeededData | undefined;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    seeded = await seedViolations(pool);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSeededApi: used outside a test (its beforeAll has not run)');
    return value;
  };
  return {
    get url() {
      return ready(db).url;
    },
    get pool() {
      return ready(pool);
    },
    get seeded() {
      return ready(seeded);
    },
    api: (options = {}) => testApi({ ...options, pool: ready(pool) }),
  };
}
