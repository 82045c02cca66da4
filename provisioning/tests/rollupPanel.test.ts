// The dashboard's latency-percentile panel reads the minute rollups for buckets of a minute or
// more and raw samples below that; both give p50/p95/p99 that agree within 1 % (docs/sql.md).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from '../../collector/test/helpers/database.js';
import { sampleRow } from '../../collector/test/helpers/rows.js';
import { foldRollups } from '../../collector/src/store/rollupQueries.js';
import { writeItems } from '../../collector/src/store/writeQueries.js';
import { grafanaSql } from './helpers/grafana-sql.js';
import { dashboard, dashboardSql } from './helpers/provisioning.js';

const START = Date.parse('2026-05-01T00:00:00Z');
const HOURS = 3;
const series = { target: 'http://rollup-panel', model: 'm', probe: 'p' };
const percentiles = dashboardSql(dashboard()).find((q) => /percentile_cont/.test(q.sql));

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let state = 9;
  const next = () => ((state = (state * 16_807) % 2_147_483_647) / 2_147_483_647);
  const rows = Array.from({ length: HOURS * 3600 }, (_, i) =>
    sampleRow({ ...series, ts: new Date(START + i * 1000).toISOString(), latencyMs: 1200 * Math.exp(0.2 * (next() + next() + next() - 1.5)) }),
  );
  for (let i = 0; i < rows.length; i += 2000) await writeItems(client, rows.slice(i, i + 2000).map((row) => ({ kind: 'sample' as const, row })));
  // What the collector's maintenance job does every 5 s: count the queued samples into the rollups.
  await foldRollups(client);
}, 120_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('latency percentiles panel', () => {
  const ctx = (interval: string) => ({ from: new Date(START), to: new Date(START + HOURS * 3_600_000), interval, variables: series });

  it('gives the same percentiles from the rollups (15m buckets) as from the raw samples, within 1 %', async () => {
    expect(percentiles).toBeDefined();
    const rolled = await client.query(grafanaSql(percentiles!.sql, ctx('15m')));
    expect(rolled.rows).toHaveLength(HOURS * 4);
    const raw = await client.query(
      `SELECT floor(extract(epoch FROM ts) / 900) * 900 AS time,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50, percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99
       FROM samples WHERE target = $1 GROUP BY 1 ORDER BY 1`,
      [series.target],
    );
    rolled.rows.forEach((r: Record<string, number>, i: number) => {
      for (const p of ['p50', 'p95', 'p99']) expect(Math.abs(r[p]! / raw.rows[i][p] - 1), `${p} of bucket ${i}`).toBeLessThanOrEqual(0.01);
      expect(Number(r.time)).toBe(Number(raw.rows[i].time));
    });
  });

  it('reads raw samples for buckets under a minute', async () => {
    const fine = await client.query(grafanaSql(percentiles!.sql, ctx('10s')));
    expect(fine.rows).toHaveLength(HOURS * 360);
    // Rollups that lie do not change it: it did not read them.
    await client.query('UPDATE sample_rollups_1m SET latency_histogram = NULL');
    try {
      const again = await client.query(grafanaSql(percentiles!.sql, ctx('10s')));
      expect(again.rows).toEqual(fine.rows);
      const coarse = await client.query(grafanaSql(percentiles!.sql, ctx('15m')));
      expect(coarse.rows.every((r: { p50: number | null }) => r.p50 === null)).toBe(true);
    } finally {
      await client.query(`SELECT llmscope_rebuild_rollups($1, $2)`, [new Date(START), new Date(START + HOURS * 3_600_000)]);
    }
  });
});
