// Rollups per series per minute and per hour: equal to the raw samples' aggregates once the
// queue is folded, unchanged by replayed batches and by folds running side by side, quantiles
// within 1 %, and rebuilt identically by `llmscope rollup --rebuild`.
import type { RuleId } from '@llmscope/spc';
import { describe, expect, it } from 'vitest';
import type { RecordedSample, StoreItem } from '../../src/store/rows.js';
import { foldRollups, rebuildRollups } from '../../src/store/rollupQueries.js';
import { writeItems } from '../../src/store/writeQueries.js';
import { runCliToEnd } from '../helpers/cliProcess.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow, violationRow } from '../helpers/rows.js';

/** Deterministic pseudo-random numbers in (0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return (state + 1) / (2 ** 31 + 1);
  };
}

/** Log-normal latency around `median` ms. */
function lognormal(next: () => number, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  return median * Math.exp(sigma * z);
}

// Per bucket, what the raw rows say; the rollups must say the same. Latencies are multiples of
// 0.5 ms, so sums and sums of squares are exact in any order.
const RAW = (unit: string) => `
  SELECT series_id, date_trunc('${unit}', ts) AS bucket,
         count(*) FILTER (WHERE status = 'ok')::int AS ok, count(*) FILTER (WHERE status = 'error')::int AS error,
         count(*) FILTER (WHERE status = 'timeout')::int AS timeout, count(*) FILTER (WHERE status = 'suspect')::int AS suspect,
         count(*) FILTER (WHERE cold_start)::int AS cold_starts,
         min(latency_ms) FILTER (WHERE status = 'ok') AS latency_min_ms, max(latency_ms) FILTER (WHERE status = 'ok') AS latency_max_ms,
         coalesce(sum(latency_ms) FILTER (WHERE status = 'ok'), 0) AS latency_sum_ms,
         coalesce(sum(latency_ms * latency_ms) FILTER (WHERE status = 'ok'), 0) AS latency_sum_sq_ms
  FROM samples GROUP BY 1, 2 ORDER BY 1, 2`;
const ROLLED = (table: string) => `
  SELECT series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms, latency_max_ms, latency_sum_ms, latency_sum_sq_ms
  FROM ${table} ORDER BY 1, 2`;
const VIOLATIONS_RAW = (unit: string) => `
  SELECT se.id AS series_id, date_trunc('${unit}', v."timestamp") AS bucket, v.rule, count(*)::int AS n
  FROM violations v JOIN series se USING (target, model, probe) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
const VIOLATIONS_ROLLED = (table: string) => `
  SELECT r.series_id, r.bucket, kv.key AS rule, kv.value::int AS n
  FROM ${table} r CROSS JOIN LATERAL jsonb_each_text(r.violations) kv ORDER BY 1, 2, 3`;
const EVERYTHING = `SELECT * FROM sample_rollups_1m ORDER BY series_id, bucket; SELECT * FROM sample_rollups_1h ORDER BY series_id, bucket`;

/** Sums of floats differ in the last bits with the order they were added in: each number matches within 1e-9 of itself. */
function closeTo(results: unknown): unknown[] {
  const near = (v: number) => (v === 0 || !Number.isFinite(v) ? v : expect.closeTo(v, -Math.log10(Math.abs(v) * 2e-9)));
  return (results as Array<{ rows: Array<Record<string, unknown>> }>).map((r) =>
    r.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? near(v) : v]))),
  );
}

describe('rollups', () => {
  const db = useMigratedDatabase();

  /** 3 series, 900 probes over 3 hours (one every 12 s each), a few errors, timeouts and violations. */
  function batches(): StoreItem[][] {
    const next = random(7);
    const start = Date.parse('2026-03-01T10:00:00Z');
    const groups: StoreItem[][] = [];
    for (let i = 0; i < 900; i++) {
      const status: RecordedSample['status'] = i % 41 === 0 ? 'timeout' : i % 29 === 0 ? 'error' : i % 31 === 0 ? 'suspect' : 'ok';
      const sample = sampleRow({
        ts: new Date(start + i * 12_000).toISOString(),
        target: `http://t${i % 3}`,
        status,
        coldStart: i % 97 === 0,
        latencyMs: Math.round(lognormal(next, 800, 0.2) * 2) / 2,
      });
      const group: StoreItem[] = [{ kind: 'sample', row: sample }];
      if (i % 37 === 0) {
        for (const rule of ['R1', 'R5'] as RuleId[]) group.push({ kind: 'violation-open', row: violationRow(sample, { rule }) });
      }
      groups.push(group);
    }
    const out: StoreItem[][] = [];
    for (let i = 0; i < groups.length; i += 100) out.push(groups.slice(i, i + 100).flat());
    return out;
  }

  it('hold what the raw samples hold, and a replayed batch does not count twice', async () => {
    const client = await db.check.connect();
    try {
      const all = batches();
      for (const batch of all.slice(0, 4)) await writeItems(client, batch);
      await foldRollups(client);
      for (const batch of all.slice(4)) await writeItems(client, batch);
      expect((await db.check.query('SELECT count(*)::int AS n FROM sample_rollup_queue')).rows[0].n).toBe(500);
      const folded = await Promise.all([foldRollups(db.check), foldRollups(db.check), foldRollups(db.check)]);
      expect(folded.sort((a, b) => a - b)).toEqual([0, 0, 500]);
      // A retry of every batch, then a spill replay that overlaps the end of the last one.
      for (const batch of all) await writeItems(client, batch);
      await writeItems(client, [...all[7]!.slice(50), ...all[8]!]);
      // Half folded between the writes, the rest by three folds at once: each row is counted by one of them.
      await foldRollups(client);
      await writeItems(client, all[0]!);
    } finally {
      client.release();
    }
    expect((await db.check.query('SELECT count(*)::int AS n FROM samples')).rows[0].n).toBe(900);
    expect((await db.check.query('SELECT count(*)::int AS n FROM sample_rollup_queue')).rows[0].n).toBe(0);
    for (const [table, unit] of [
      ['sample_rollups_1m', 'minute'],
      ['sample_rollups_1h', 'hour'],
    ] as const) {
      const raw = (await db.check.query(RAW(unit))).rows;
      expect(raw.length).toBeGreaterThan(unit === 'hour' ? 8 : 500);
      expect((await db.check.query(ROLLED(table))).rows).toEqual(raw);
      const violations = (await db.check.query(VIOLATIONS_RAW(unit))).rows;
      expect(violations.length).toBeGreaterThan(unit === 'hour' ? 8 : 40);
      expect((await db.check.query(VIOLATIONS_ROLLED(table))).rows).toEqual(violations);
    }
  }, 60_000);

  it('give p50, p95 and p99 within 1 % of the raw samples', async () => {
    const next = random(11);
    const start = Date.parse('2026-03-05T00:00:00Z');
    const rows = Array.from({ length: 6000 }, (_, i) =>
      sampleRow({ ts: new Date(start + i * 1000).toISOString(), target: 'http://quantiles', latencyMs: lognormal(next, 1700, 0.3) }),
    );
    const client = await db.check.connect();
    try {
      for (let i = 0; i < rows.length; i += 1000)
        await writeItems(
          client,
          rows.slice(i, i + 1000).map((row) => ({ kind: 'sample', row })),
        );
      await foldRollups(client);
    } finally {
      client.release();
    }
    const {
      rows: [q],
    } = await db.check.query(
      `WITH h AS (SELECT llmscope_histogram_sum(r.latency_histogram) AS h FROM sample_rollups_1h r JOIN series se ON se.id = r.series_id
                  WHERE se.target = 'http://quantiles'),
            raw AS (SELECT percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS p FROM samples WHERE target = 'http://quantiles')
       SELECT raw.p AS raw, ARRAY[llmscope_histogram_quantile(h.h, 0.5), llmscope_histogram_quantile(h.h, 0.95), llmscope_histogram_quantile(h.h, 0.99)] AS rolled
       FROM h, raw`,
    );
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(q.rolled[i] / q.raw[i] - 1)).toBeLessThanOrEqual(0.01);
    }
  }, 60_000);

  it('are rebuilt from the raw samples identically, by the store and by `llmscope rollup --rebuild`', async () => {
    const snapshot = async () => (await db.check.query(EVERYTHING)) as unknown as Array<{ rows: unknown[] }>;
    const before = await snapshot();
    expect(before[0]!.rows.length).toBeGreaterThan(0);

    await db.check.query('DELETE FROM sample_rollups_1m; DELETE FROM sample_rollups_1h');
    const result = await rebuildRollups(db.check);
    expect(result.samples).toBe(900 + 6000);
    expect((await snapshot()).map((r) => r.rows)).toEqual(closeTo(before));

    await db.check.query(`UPDATE sample_rollups_1h SET ok = 0, latency_histogram = NULL, violations = '{}'`);
    const { code, stdout } = await runCliToEnd(['rollup', '--rebuild', '--database-url', db.url]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^rebuilt the rollups of 6900 sample\(s\) from 2026-03-01T10:00:00\.000Z/);
    expect((await snapshot()).map((r) => r.rows)).toEqual(closeTo(before));
  }, 60_000);

  it('`llmscope rollup` names what is wrong with its input', async () => {
    const missing = await runCliToEnd(['rollup', '--database-url', db.url]);
    expect(missing).toMatchObject({ code: 2, stderr: 'llmscope rollup: nothing to do: give --rebuild\n' });
    const bad = await runCliToEnd(['rollup', '--rebuild', '--from', 'yesterday', '--database-url', db.url]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--from: not a date or time: "yesterday"') });
  }, 60_000);
});
