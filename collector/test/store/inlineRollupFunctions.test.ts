// The inline-rollup-functions migration rewrites the per-sample functions of the rollup fold so
// Postgres inlines them; on a database filled under the previous schema they must give the same
// value for every input and the same rollups, and no longer be called as functions.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { foldRollups, rebuildRollups } from '../../src/store/rollupQueries.js';
import { runMigrations } from '../../src/store/migrate.js';
import { useDatabaseBefore } from '../helpers/migrateToBefore.js';

const MIGRATION = '1764700000000_inline-rollup-functions';

/** Inputs at the edges: NULL and non-positive latencies, microsecond times before and after 1970. */
const INPUTS = `SELECT g::bigint AS id,
    '2026-02-01T10:00:00Z'::timestamptz + g * interval '1 second 123457 microseconds' - interval '60 years' * (g % 3) AS ts,
    CASE g % 7 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN -3.5 WHEN 3 THEN 0.004 ELSE g * 13.37 END::float8 AS latency_ms,
    g % 2 = 0 AS cold_start, CASE WHEN g % 5 = 0 THEN NULL ELSE g * 0.5 END::float8 AS c
  FROM generate_series(-50, 500) AS g`;
const VALUES = `SELECT id, llmscope_latency_bucket(latency_ms) AS bucket,
    llmscope_min_point(id, ts, latency_ms, cold_start, c, c + 1, c - 1) AS lo,
    llmscope_max_point(id, ts, latency_ms, cold_start, c, c + 1, c - 1) AS hi
  FROM (${INPUTS}) i`;

const ROLLUPS = (table: string, points: string) => `SELECT series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms,
  latency_max_ms, latency_sum_ms, latency_sum_sq_ms, latency_histogram${points} FROM ${table} ORDER BY series_id, bucket`;

const INSERT = `INSERT INTO samples (uid, ts, collector, target, provider, model, probe, prompt_hash, status, cold_start, latency_ms, spc_center, spc_ucl, spc_lcl)
  SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
         '2026-02-01T10:00:00Z'::timestamptz + i * interval '3 seconds 250001 microseconds',
         'c', 'http://t' || (i % 3), 'ollama', 'm', 'short', 'h',
         CASE WHEN i % 11 = 0 THEN 'error' ELSE 'ok' END, i % 17 = 0,
         CASE WHEN i % 29 = 0 THEN 0 ELSE 0.001 + (i * 37) % 900 END, 800, 900, 700
  FROM generate_series(0, 2999) AS i`;

describe('migration to inlined rollup functions', () => {
  const database = useDatabaseBefore(MIGRATION);

  it('gives the same values and rollups as before, and the fold no longer calls the functions', async () => {
    const { pool } = database;
    await pool.query(`CREATE TABLE values_before AS ${VALUES}`);
    await pool.query(`SELECT llmscope_ensure_partitions('2026-02-01', '2026-02-02')`);
    await pool.query(INSERT);
    expect(await foldRollups(pool)).toBe(3000);
    // Rebuilt from the raw rows, as after the migration below: the same summation order on both sides.
    await rebuildRollups(pool);
    const before = await Promise.all([
      pool.query(ROLLUPS('sample_rollups_1m', ', latency_min_point, latency_max_point')),
      pool.query(ROLLUPS('sample_rollups_1h', '')),
    ]);
    expect(before[0]!.rows.length).toBeGreaterThan(100);

    await runMigrations({ databaseUrl: database.url, logger: pino({ level: 'silent' }) });

    const differing = await pool.query(
      `SELECT count(*)::int AS n FROM ((TABLE values_before EXCEPT ${VALUES}) UNION ALL (${VALUES} EXCEPT TABLE values_before)) d`,
    );
    expect(differing.rows[0].n).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM values_before WHERE bucket IS NULL')).rows[0].n).toBeGreaterThan(0);

    // The same samples rolled up again with the new functions: every count, histogram and point as before.
    await rebuildRollups(pool);
    const after = await Promise.all([
      pool.query(ROLLUPS('sample_rollups_1m', ', latency_min_point, latency_max_point')),
      pool.query(ROLLUPS('sample_rollups_1h', '')),
    ]);
    expect(after.map((r) => r.rows)).toEqual(before.map((r) => r.rows));

    const plan = await pool.query(
      `EXPLAIN VERBOSE SELECT llmscope_latency_bucket(latency_ms), llmscope_min_point(id, ts, latency_ms, cold_start, c, c, c),
         llmscope_max_point(id, ts, latency_ms, cold_start, c, c, c) FROM (${INPUTS}) i`,
    );
    const text = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('ln(');
    expect(text).not.toMatch(/llmscope_(latency_bucket|min_point|max_point)\(/);
  }, 120_000);
});
