// A throw-away database for one benchmark on the Postgres server named by DATABASE_URL
// (the machine's own server by default), migrated with the collector's own migrations:
// the same steps as collector/test/helpers/database.ts, for plain Node scripts.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { runMigrations } from '../../../collector/dist/store/migrate.js';

export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin(use) {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`the benchmarks need a Postgres server: none answers at DATABASE_URL=${SERVER_URL} (${error.message})`);
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates `llmscope_bench_<what>_<random>`; drop() removes it. */
export async function createBenchDatabase(what) {
  const name = `llmscope_bench_${what}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(SERVER_URL, name);
  const drop = () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  try {
    await runMigrations({ databaseUrl: url, logger: pino({ level: 'silent' }) });
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url, drop };
}

/** Runs `use(database)` on a fresh migrated database and drops it afterwards, whatever happens. */
export async function withBenchDatabase(what, use) {
  const database = await createBenchDatabase(what);
  try {
    return await use(database);
  } finally {
    await database.drop();
  }
}
