// /api/stats/spc over a range too long to scan: counted from the minute rollups plus the raw
// partial minutes at both ends, drawn from the rollups' extremes, every violation point kept.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertSamples, insertViolation, seriesSamples, testApi } from './fixtures.js';

vi.setConfig({ testTimeout: 60_000 });

const SERIES = { target: 'http://long', model: 'llama3.2:1b', probe: 'short' };
const START = new Date('2026-01-10T00:00:00.000Z');
const COUNT = 40_000; // one probe every 5 s: 55.6 hours, past the raw-scan limit
const STEP_MS = 5_000;

let db: TestDatabase;
let pool: pg.Pool;
let violationSampleIds: number[];

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const samples = seriesSamples({ ...SERIES, start: START, count: COUNT, stepMs: STEP_MS, seed: 3 });
  const ids = await insertSamples(pool, samples);
  violationSampleIds = [17, 4_001, 12_345, 30_000, 39_990].map((i) => ids[i]!);
  for (const sampleId of violationSampleIds) await insertViolation(pool, { sampleId, rule: 'R2', severity: 'warning' });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('GET /api/stats/spc over a long range', () => {
  // Bounds that cut minutes in half at both ends.
  const from = new Date(START.getTime() + 37_500);
  const to = new Date(START.getTime() + (COUNT - 20) * STEP_MS - 12_300);
  const query = `target=${SERIES.target}&model=${encodeURIComponent(SERIES.model)}&probe=${SERIES.probe}&from=${from.toISOString()}&to=${to.toISOString()}`;

  it('counts exactly the samples in the range', async () => {
    const raw = await pool.query('SELECT count(*)::int AS n FROM samples WHERE ts >= $1 AND ts <= $2', [from, to]);
    const res = await testApi({ pool }).get(`/api/stats/spc?${query}&max_points=1000`).expect(200);
    expect(res.body.total_points).toBe(raw.rows[0].n);
    expect(res.body.total_points).toBeGreaterThan(20_000);
  });

  it("draws each bucket from the rollups: real samples at their minute's extremes, and every violation point", async () => {
    const res = await testApi({ pool }).get(`/api/stats/spc?${query}&max_points=1000`).expect(200);
    expect(res.body.downsampled).toBe(true);
    const points: Array<{ id: number; ts: string; latency_ms: number; rules: string[] }> = res.body.points;
    const flagged = points.filter((p) => p.rules.length > 0);
    // Sample 39 990 is after `to`; the others are inside.
    expect(flagged.map((p) => p.id).sort((a, b) => a - b)).toEqual(violationSampleIds.slice(0, -1).sort((a, b) => a - b));
    const plain = points.filter((p) => p.rules.length === 0);
    expect(plain.length).toBeLessThanOrEqual(1000);
    expect(plain.length).toBeGreaterThan(900);
    // Each plain point is a stored ok sample whose latency is the lowest or highest of its minute.
    const { rows } = await pool.query(
      `WITH ext AS (SELECT date_trunc('minute', ts) AS minute, min(latency_ms) AS lo, max(latency_ms) AS hi FROM samples WHERE status = 'ok' GROUP BY 1)
       SELECT count(*)::int AS n FROM unnest($1::bigint[]) AS p(id) JOIN samples s ON s.id = p.id JOIN ext ON ext.minute = date_trunc('minute', s.ts)
       WHERE s.status = 'ok' AND s.ts >= $2 AND s.ts <= $3 AND s.latency_ms IN (ext.lo, ext.hi)`,
      [plain.map((p) => p.id), from, to],
    );
    expect(rows[0].n).toBe(plain.length);
    // The range's own extremes are drawn.
    const extremes = await pool.query(
      `SELECT min(latency_ms) AS lo, max(latency_ms) AS hi FROM samples WHERE status = 'ok' AND ts >= date_trunc('minute', $1::timestamptz) + interval '1 minute' AND ts < date_trunc('minute', $2::timestamptz)`,
      [from, to],
    );
    const latencies = new Set(points.map((p) => p.latency_ms));
    expect(latencies.has(extremes.rows[0].lo)).toBe(true);
    expect(latencies.has(extremes.rows[0].hi)).toBe(true);
    // In time order.
    expect(points.map((p) => p.ts)).toEqual([...points.map((p) => p.ts)].sort());
  });

  it('reads the minute rollups, not a scan of the raw samples', async () => {
    // Rollups without their extreme points: a drawing made from them has no plain point.
    await pool.query('SELECT llmscope_fold_rollups()');
    await pool.query('UPDATE sample_rollups_1m SET latency_min_point = NULL, latency_max_point = NULL');
    try {
      const res = await testApi({ pool }).get(`/api/stats/spc?${query}&max_points=1000`).expect(200);
      const plain = res.body.points.filter((p: { rules: string[] }) => p.rules.length === 0);
      expect(plain).toEqual([]);
      expect(res.body.points.length).toBe(4);
    } finally {
      await pool.query(`SELECT llmscope_rebuild_rollups('2026-01-09', '2026-01-13')`);
    }
    const rebuilt = await testApi({ pool }).get(`/api/stats/spc?${query}&max_points=1000`).expect(200);
    expect(rebuilt.body.points.length).toBeGreaterThan(900);
  });
});
