// provisioning/postgres/10-grafana-reader.sh, run as the postgres image runs it (psql as
// POSTGRES_USER on a fresh database, before the collector's migrations create the tables),
// gives Grafana a role that can run every dashboard query and write nothing.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateTestDatabase, type TestDatabase } from '../../collector/test/helpers/database.js';
import { grafanaSql } from './helpers/grafana-sql.js';
import { run } from './helpers/processes.js';
import { dashboard, dashboardSql } from './helpers/provisioning.js';
import { repoPath } from './helpers/repo.js';

const SCRIPT = repoPath('provisioning/postgres/10-grafana-reader.sh');
const reader = `grafana_reader_${process.pid}_${randomBytes(3).toString('hex')}`;
const readerPassword = randomBytes(12).toString('hex');

let db: TestDatabase;
let owner: URL;

function scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    PGHOST: owner.hostname,
    PGPORT: owner.port || '5432',
    PGPASSWORD: decodeURIComponent(owner.password),
    POSTGRES_USER: decodeURIComponent(owner.username),
    POSTGRES_DB: owner.pathname.slice(1),
    ...extra,
  };
}

async function asReader<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(db.url);
  url.username = reader;
  url.password = readerPassword;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  owner = new URL(db.url);
  const r = await run('sh', [SCRIPT], { env: scriptEnv({ GRAFANA_DB_USER: reader, GRAFANA_DB_PASSWORD: readerPassword }) });
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toContain(`read-only role '${reader}' created`);
  await migrateTestDatabase(db.url);
});

afterAll(async () => {
  await db?.drop();
  if (!owner) return;
  const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS "${reader}"`);
  } finally {
    await admin.end();
  }
});

describe('the Grafana read-only role', () => {
  it('runs every SQL query of the dashboard on the tables the migrations created afterwards', async () => {
    const ctx = { from: new Date(Date.now() - 3_600_000), to: new Date(), interval: '1m', variables: { target: 't', model: 'm', probe: 'p' } };
    const queries = dashboardSql(dashboard());
    expect(queries.length).toBeGreaterThan(0);
    await asReader(async (c) => {
      for (const q of queries) await expect(c.query(grafanaSql(q.sql, ctx)), q.where).resolves.toBeDefined();
    });
  });

  it('cannot write: no insert, delete or new table', async () => {
    await asReader(async (c) => {
      await expect(c.query('DELETE FROM violations')).rejects.toThrow(/read-only transaction|permission denied/);
      await expect(c.query('CREATE TABLE grafana_scratch (x int)')).rejects.toThrow(/read-only transaction|permission denied/);
      await c.query('SET default_transaction_read_only = off');
      await expect(c.query('DELETE FROM violations')).rejects.toThrow(/permission denied for table violations/);
      await expect(c.query("UPDATE samples SET status = 'ok'")).rejects.toThrow(/permission denied for table samples/);
    });
  });

  it('the script refuses to run without the role name, naming the variable', async () => {
    const r = await run('sh', [SCRIPT], { env: scriptEnv({ GRAFANA_DB_PASSWORD: 'x' }) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('GRAFANA_DB_USER');
  });
});
