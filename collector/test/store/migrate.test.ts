import { readdir } from 'node:fs/promises';
import { columnNames, VIOLATIONS } from '@llmscope/contract';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, runMigrations } from '../../src/store/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('runMigrations', () => {
  let db: TestDatabase;
  const logger = pino({ level: 'silent' });
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db.drop();
  }, 60_000);

  it('creates the schema once and is a no-op the second time, also when run concurrently', async () => {
    const [first, second] = await Promise.all([
      runMigrations({ databaseUrl: db.url, logger }),
      runMigrations({ databaseUrl: db.url, logger }),
    ]);
    // Every migration in the folder, each applied once, in order.
    const files = (await readdir(MIGRATIONS_DIR))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => f.replace(/\.sql$/, ''));
    expect([...first, ...second]).toEqual(files);
    expect(await runMigrations({ databaseUrl: db.url, logger })).toEqual([]);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const columns = await client.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
      );
      const of = (table: string) => columns.rows.filter((r) => r.table_name === table).map((r) => r.column_name);
      expect(of('violations')).toEqual(expect.arrayContaining(columnNames(VIOLATIONS)));
      expect(of('samples')).toEqual(
        expect.arrayContaining(['collector', 'status', 'latency_ms', 'ttft_ms', 'spc_center', 'spc_sigma', 'spc_ucl', 'spc_lcl']),
      );
      expect(of('baselines')).toEqual(
        expect.arrayContaining(['transform', 'sigma_method', 'center', 'sigma', 'n', 'computed_at', 'active']),
      );
      expect(of('model_events').length).toBeGreaterThan(0);
      const ts = columns.rows.find((r) => r.table_name === 'samples' && r.column_name === 'ts');
      expect(ts?.data_type).toBe('timestamp with time zone');

      const index = await client.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'samples_series_id_ts_idx'`);
      expect(index.rows[0].indexdef).toContain('(series_id, ts)');
    } finally {
      await client.end();
    }
  }, 60_000);
});
