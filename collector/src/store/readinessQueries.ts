// What /readyz asks the database: is it reachable, and has every migration in migrations/ run?
import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import type pg from 'pg';
import { MIGRATIONS_DIR } from './migrate.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

const MIGRATION_FILE = /\.(sql|js|cjs|mjs|ts)$/;
const UNDEFINED_TABLE = '42P01';

/** node-pg-migrate records a migration under its file name without the extension. */
async function expectedMigrations(dir: string): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((f) => MIGRATION_FILE.test(f))
    .map((f) => f.slice(0, -extname(f).length))
    .sort();
}

export async function checkReadiness(pool: pg.Pool, migrationsDir: string = MIGRATIONS_DIR): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM pgmigrations');
    applied = new Set(rows.map((r) => r.name));
  } catch (err) {
    if ((err as { code?: unknown }).code === UNDEFINED_TABLE) {
      return { ready: false, reason: 'the database schema has not been created: run `llmscope migrate`' };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { ready: false, reason: `the database is unreachable: ${message}` };
  }
  let expected: string[];
  try {
    expected = await expectedMigrations(migrationsDir);
  } catch (err) {
    return { ready: false, reason: `cannot read the migrations folder ${migrationsDir}: ${(err as Error).message}` };
  }
  const pending = expected.filter((name) => !applied.has(name));
  if (pending.length > 0) {
    return { ready: false, reason: `${pending.length} migration(s) not applied (${pending.join(', ')}): run \`llmscope migrate\`` };
  }
  return { ready: true };
}
