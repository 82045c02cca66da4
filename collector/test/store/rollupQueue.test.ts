// The rollup-queue migration converts a database whose rollups were kept by the old insert
// triggers: no count changes, every minute gets its extreme points from the raw samples, and
// from then on an INSERT only queues its rows until a fold counts them, once.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { foldRollups } from '../../src/store/rollupQueries.js';
import { runMigrations } from '../../src/store/migrate.js';
import { useDatabaseBefore } from '../helpers/migrateToBefore.js';

const MIGRATION = '1764600000000_rollup-queue';

const COUNTS = (table: string) => `SELECT series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms, latency_max_ms,
  latency_sum_ms, latency_sum_sq_ms, latency_histogram, violations FROM ${table} ORDER BY series_id, bucket`;

/** Per minute, the raw ok samples with the lowest and highest latency (earliest on a tie). */
const RAW_EXTREMES = `SELECT DISTINCT ON (series_id, date_trunc('minute', ts)) series_id, date_trunc('minute', ts) AS bucket,
  id::float8 AS lo_id, (SELECT x.id::float8 FROM samples x WHERE x.series_id = s.series_id AND x.status = 'ok'
    AND date_trunc('minute', x.ts) = date_trunc('minute', s.ts) ORDER BY x.latency_ms DESC, x.ts, x.id LIMIT 1) AS hi_id
  FROM samples s WHERE status = 'ok' ORDER BY series_id, date_trunc('minute', ts), latency_ms, ts, id`;

const INSERT = `INSERT INTO samples (uid, ts, collector, target, provider, model, probe, prompt_hash, status, cold_start, latency_ms, spc_center, spc_ucl, spc_lcl)
  SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '2026-02-01T10:00:00Z'::timestamptz + i * interval '7 seconds',
         'c', 'http://t' || (i % 2), 'ollama', 'm', 'short', 'h',
         CASE WHEN i % 13 = 0 THEN 'timeout' ELSE 'ok' END, i % 17 = 0, 700 + (i * 37) % 200, 800, 900, 700
  FROM generate_series($1::int, $2::int) AS i
  ON CONFLICT (uid, ts) DO NOTHING`;

describe('migration to queued rollups', () => {
  const database = useDatabaseBefore(MIGRATION);

  it('keeps every rollup count, fills the extreme points, and then counts new rows once, at the fold', async () => {
    const { pool } = database;
    await pool.query(`SELECT llmscope_ensure_partitions('2026-02-01', '2026-02-02')`);
    await pool.query(INSERT, [0, 1999]);
    await pool.query(
      `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl,
         prompt_hash, sample_id, target, probe, severity, last_seen_at)
       SELECT ts, model, provider, 'R1', latency_ms, 3.2, 800, 30, 900, 700, prompt_hash, id, target, probe, 'critical', ts
       FROM samples WHERE latency_ms > 890`,
    );
    const before = await Promise.all(['sample_rollups_1m', 'sample_rollups_1h'].map((t) => pool.query(COUNTS(t))));
    expect(before[0]!.rows.length).toBeGreaterThan(400);

    await runMigrations({ databaseUrl: database.url, logger: pino({ level: 'silent' }) });

    const after = await Promise.all(['sample_rollups_1m', 'sample_rollups_1h'].map((t) => pool.query(COUNTS(t))));
    expect(after.map((r) => r.rows)).toEqual(before.map((r) => r.rows));
    const points = await pool.query(
      `SELECT series_id, bucket, latency_min_point[3] AS lo_id, -latency_max_point[3] AS hi_id FROM sample_rollups_1m
       WHERE ok > 0 ORDER BY series_id, bucket`,
    );
    expect(points.rows).toEqual((await pool.query(RAW_EXTREMES)).rows);

    // New rows wait in the queue; a replay of them queues nothing; the fold counts each once.
    await pool.query(INSERT, [2000, 2499]);
    await pool.query(INSERT, [2000, 2499]);
    expect((await pool.query('SELECT count(*)::int AS n FROM sample_rollup_queue')).rows[0].n).toBe(500);
    const total = `SELECT sum(ok + error + timeout + suspect)::int AS n FROM sample_rollups_1h`;
    expect((await pool.query(total)).rows[0].n).toBe(2000);
    expect(await foldRollups(pool)).toBe(500);
    expect((await pool.query(total)).rows[0].n).toBe(2500);
    expect((await pool.query('SELECT count(*)::int AS n FROM sample_rollup_queue')).rows[0].n).toBe(0);
    expect(await foldRollups(pool)).toBe(0);
    // The minute extremes of the new rows as well, after the fold.
    const again = await pool.query(
      `SELECT series_id, bucket, latency_min_point[3] AS lo_id, -latency_max_point[3] AS hi_id FROM sample_rollups_1m
       WHERE ok > 0 ORDER BY series_id, bucket`,
    );
    expect(again.rows).toEqual((await pool.query(RAW_EXTREMES)).rows);
  }, 120_000);
});
