// A migration that converts existing data is tested on a database filled under the schema
// it converts: migrated up to, not including, that migration.
import { readdir } from 'node:fs/promises';
import { runner } from 'node-pg-migrate';
import { MIGRATIONS_DIR } from '../../src/store/migrate.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Runs every migration before `migration` (its file name without `.sql`) on the database at `url`. */
export async function migrateToBefore(url: string, migration: string): Promise<void> {
  const before = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql') && f < `${migration}.sql`).length;
  await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, direction: 'up', count: before, migrationsTable: 'pgmigrations', logger: silent });
}
