// The series-partitions migration converts a database filled under the previous schema
// without losing or changing a row, and leaves samples partitioned by day and keyed by series.
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/store/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { migrateToBefore } from '../helpers/migrateToBefore.js';

const MIGRATION = '1764400000000_series-partitions';

/** Every sample column of the old schema, as text, in id order: what must survive unchanged. */
const SAMPLES_DIGEST = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', id, uid, ts, collector, target, provider, model, probe,
  prompt_hash, prompt, status, error, cold_start, latency_ms, ttft_ms, total_duration_ms, load_duration_ms, prompt_eval_count,
  prompt_eval_duration_ms, eval_count, eval_duration_ms, tokens_per_second, cpu_percent, memory_percent, gpu_percent,
  gpu_memory_percent, spc_center, spc_sigma, spc_ucl, spc_lcl), E'\\n' ORDER BY id)) AS digest FROM samples`;

const VIOLATIONS_DIGEST = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', v.id, v.sample_id, v.rule, v."timestamp", s.uid),
  E'\\n' ORDER BY v.id)) AS digest FROM violations v JOIN samples s ON s.id = v.sample_id`;

describe('migration to day-partitioned samples keyed by series', () => {
  let db: TestDatabase;
  let client: pg.Client;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateToBefore(db.url, MIGRATION);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  }, 60_000);

  it('keeps every sample and violation, ids included, and moves them into daily partitions', async () => {
    // 3 series over 5 days, every status, nulls where the old schema allowed them.
    await client.query(
      `INSERT INTO samples (uid, ts, collector, target, provider, model, probe, prompt_hash, prompt, status, error, cold_start,
         latency_ms, ttft_ms, eval_count, eval_duration_ms, tokens_per_second, cpu_percent, spc_center, spc_sigma, spc_ucl, spc_lcl)
       SELECT gen_random_uuid(), timestamptz '2026-01-01' + i * interval '3 minutes', 'old', 'http://t' || (i % 3), 'ollama', 'm', 'short',
              'h', CASE WHEN i % 7 = 0 THEN 'prompt ' || i END,
              CASE WHEN i % 11 = 0 THEN 'timeout' WHEN i % 13 = 0 THEN 'error' ELSE 'ok' END,
              CASE WHEN i % 13 = 0 THEN 'boom' END, i % 50 = 0, 700 + (i * 37) % 300, 50, 40, 600, 66.6, (i % 100)::float8,
              CASE WHEN i > 20 THEN 800 END, CASE WHEN i > 20 THEN 60 END, CASE WHEN i > 20 THEN 990 END, CASE WHEN i > 20 THEN 640 END
       FROM generate_series(1, 2400) AS i`,
    );
    await client.query(
      `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl, prompt_hash,
         sample_id, target, probe, severity, last_seen_at)
       SELECT s.ts, s.model, s.provider, r.rule, s.latency_ms, 3.1, 800, 60, 990, 640, s.prompt_hash, s.id, s.target, s.probe, 'critical', s.ts
       FROM samples s CROSS JOIN (VALUES ('R1'), ('R5')) AS r(rule) WHERE s.id % 97 = 0`,
    );
    const samplesBefore = (await client.query(SAMPLES_DIGEST)).rows[0];
    const violationsBefore = (await client.query(VIOLATIONS_DIGEST)).rows[0];
    const maxId = Number((await client.query('SELECT max(id) AS id FROM samples')).rows[0].id);

    expect(await runMigrations({ databaseUrl: db.url, logger })).toContain(MIGRATION);

    expect((await client.query(SAMPLES_DIGEST)).rows[0]).toEqual(samplesBefore);
    expect((await client.query(VIOLATIONS_DIGEST)).rows[0]).toEqual(violationsBefore);
    expect(samplesBefore.n).toBe(2400);
    expect(violationsBefore.n).toBe(2 * Math.floor(2400 / 97));

    const partitioned = await client.query(`SELECT relkind FROM pg_class WHERE relname = 'samples'`);
    expect(partitioned.rows[0].relkind).toBe('p');
    // 2 400 × 3 min = 5 days of samples, each in its day's partition.
    const parts = await client.query<{ name: string; n: number }>(
      `SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM samples GROUP BY 1 ORDER BY 1`,
    );
    expect(parts.rows.map((r) => r.name)).toEqual([
      'samples_20260101',
      'samples_20260102',
      'samples_20260103',
      'samples_20260104',
      'samples_20260105',
      'samples_20260106',
    ]);

    // Each sample carries the id of its own series.
    const series = await client.query('SELECT id, target FROM series ORDER BY target');
    expect(series.rows.map((r) => r.target)).toEqual(['http://t0', 'http://t1', 'http://t2']);
    const wrong = await client.query(
      'SELECT count(*)::int AS n FROM samples s JOIN series se ON se.id = s.series_id WHERE se.target <> s.target',
    );
    expect(wrong.rows[0].n).toBe(0);

    // The rollups hold what the raw rows hold.
    const raw =
      await client.query(`SELECT count(*) FILTER (WHERE status = 'ok')::int AS ok, count(*) FILTER (WHERE status = 'timeout')::int AS timeout,
      sum(latency_ms) FILTER (WHERE status = 'ok') AS sum FROM samples`);
    for (const table of ['sample_rollups_1m', 'sample_rollups_1h']) {
      const rolled = await client.query(`SELECT sum(ok)::int AS ok, sum(timeout)::int AS timeout, sum(latency_sum_ms) AS sum,
        sum((violations->>'R1')::int)::int AS r1 FROM ${table}`);
      expect(rolled.rows[0]).toEqual({ ...raw.rows[0], r1: violationsBefore.n / 2 });
    }

    // New rows continue the ids and find their series.
    const added = await client.query(
      `INSERT INTO samples (uid, ts, collector, target, provider, model, probe, prompt_hash, status, latency_ms)
       VALUES (gen_random_uuid(), now(), 'new', 'http://t1', 'ollama', 'm', 'short', 'h', 'ok', 5) RETURNING id, series_id`,
    );
    expect(Number(added.rows[0].id)).toBe(maxId + 1);
    expect(added.rows[0].series_id).toBe(series.rows[1].id);

    // A series' range is read through (series_id, ts) in the partitions of that range only.
    const plan = await client.query(
      `EXPLAIN SELECT * FROM samples WHERE series_id = ${series.rows[0].id} AND ts >= '2026-01-02' AND ts < '2026-01-03'`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('samples_20260102_series_id_ts_idx');
    expect(text).not.toContain('samples_20260103');
  }, 120_000);
});
