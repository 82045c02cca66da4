// A migration that converts existing data is tested on a database filled under the schema
// it converts: migrated up to, not including, that migration.
import { readdir } from 'node:fs/promises';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';
import { MIGRATIONS_DIR } from '../../src/store/migrate.js';
import { createTestDatabase } from './database.js';
import { useTestDatabase } from './migratedDatabase.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Runs every migration before `migration` (its file name without `.sql`) on the database at `url`. */
export async function migrateToBefore(url: string, migration: string): Promise<void> {
  const before = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql') && f < `${migration}.sql`).length;
  await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, direction: 'up', count: before, migrationsTable: 'pgmigrations', logger: silent });
}

/**
 * A fresh database for this test file, migrated to just before `migration`, with a pool on it;
 * both are gone after the file. Read `url` and `pool` inside the tests (they are set in beforeAll).
 */
export function useDatabaseBefore(migration: string): { readonly url: string; readonly pool: pg.Pool } {
  return useTestDatabase('useDatabaseBefore', createTestDatabase, 4, (url) => migrateToBefore(url, migration));
}
