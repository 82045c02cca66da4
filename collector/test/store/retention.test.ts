// Retention after a simulated 40 days: raw samples keep 30 days, the hourly rollups all 40,
// violations all, and queries running while the partitions are dropped see no error.
import type { RuleId } from '@llmscope/spc';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { StoreItem } from '../../src/store/rows.js';
import { applyRetention } from '../../src/store/retention.js';
import { chartPoints, countSeriesPoints, listSeries, summariseSamples } from '../../src/store/seriesQueries.js';
import { writeItems } from '../../src/store/writeQueries.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { testApi } from '../http/fixtures.js';
import { sampleRow, violationRow } from '../helpers/rows.js';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-02-01T00:00:00Z');
/** The end of day 40: the moment the retention pass runs. */
const NOW = new Date(START + 40 * DAY_MS);
const PER_DAY = 144; // one probe every 10 minutes per series
const SERIES = ['http://a', 'http://b'];

describe('retention', () => {
  const db = useMigratedDatabase();

  it('drops whole days past retention.samples while queries run, keeps rollups and violations', async () => {
    const client = await db.check.connect();
    try {
      for (let day = 0; day < 40; day++) {
        const items: StoreItem[] = [];
        for (let i = 0; i < PER_DAY; i++) {
          for (const target of SERIES) {
            const sample = sampleRow({ ts: new Date(START + day * DAY_MS + i * 600_000).toISOString(), target, latencyMs: 100 + (i % 7) });
            items.push({ kind: 'sample', row: sample });
            if (i === 0) items.push({ kind: 'violation-open', row: violationRow(sample, { rule: 'R1' as RuleId }) });
          }
        }
        await writeItems(client, items);
      }
    } finally {
      client.release();
    }
    const total = 40 * PER_DAY * SERIES.length;
    expect((await db.check.query('SELECT count(*)::int AS n FROM samples')).rows[0].n).toBe(total);

    // Readers over the whole range, in a loop, on their own connections, until the pass is done.
    let done = false;
    const errors: unknown[] = [];
    let queries = 0;
    const range = { series: { target: 'http://a', model: 'm', probe: 'p' }, from: new Date(START), to: NOW, maxPoints: 100_000 };
    const reader = async (read: () => Promise<unknown>) => {
      while (!done) {
        try {
          await read();
          queries++;
        } catch (error) {
          errors.push(error);
        }
      }
    };
    const pool = new pg.Pool({ connectionString: db.url, max: 5 });
    const readers = [
      reader(() => chartPoints(pool, range)),
      reader(() => countSeriesPoints(pool, range)),
      reader(() => summariseSamples(pool, new Date(START), NOW, {})),
      reader(() => listSeries(pool)),
    ];
    // The drop starts once the readers are answering, so it overlaps them.
    while (queries < readers.length) await new Promise((resolve) => setTimeout(resolve, 20));
    const queriesBefore = queries;
    let result;
    try {
      result = await applyRetention(db.check, { samplesMs: 30 * DAY_MS, rollupsMs: 400 * DAY_MS }, NOW);
    } finally {
      done = true;
      await Promise.all(readers);
      await pool.end();
    }
    expect(errors).toEqual([]);
    expect(queriesBefore).toBeGreaterThan(0);
    expect(queries).toBeGreaterThan(queriesBefore);

    // Days 1–10 went, as whole partitions of samples and of minute rollups.
    expect(result.dropped.filter((name) => name.startsWith('samples_')).sort()).toEqual(
      Array.from({ length: 10 }, (_, d) => `samples_${new Date(START + d * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '')}`),
    );
    expect(result.dropped.filter((name) => name.startsWith('sample_rollups_1m_'))).toHaveLength(10);
    const raw = await db.check.query('SELECT count(*)::int AS n, min(ts) AS first FROM samples');
    expect(raw.rows[0]).toEqual({ n: 30 * PER_DAY * SERIES.length, first: new Date(START + 10 * DAY_MS) });
    const minutes = await db.check.query('SELECT min(bucket) AS first FROM sample_rollups_1m');
    expect(minutes.rows[0].first).toEqual(new Date(START + 10 * DAY_MS));
    const hours = await db.check.query(
      'SELECT sum(ok)::int AS ok, min(bucket) AS first, sum((violations->>$1)::int)::int AS r1 FROM sample_rollups_1h',
      ['R1'],
    );
    expect(hours.rows[0]).toEqual({ ok: total, first: new Date(START), r1: 40 * SERIES.length });
    const violations = await db.check.query('SELECT count(*)::int AS n FROM violations');
    expect(violations.rows[0].n).toBe(40 * SERIES.length);
    // Partitions are ready for the coming week.
    expect(result.created).toBeGreaterThanOrEqual(2 * 7);

    // A violation outlives its samples; its context says what retention took.
    const detail = async (day: number) => {
      const { rows } = await db.check.query(`SELECT id FROM violations WHERE target = 'http://a' AND "timestamp" = $1`, [
        new Date(START + day * DAY_MS),
      ]);
      return (await testApi({ pool: db.check }).get(`/api/violations/${rows[0].id}`).expect(200)).body;
    };
    const gone = await detail(0);
    expect(gone).toMatchObject({ sample: null, context: [], window: null, violation: { latency_ms: 100, cpu_percent: 12 } });
    expect(gone.context_note).toMatch(/removed by retention \(retention\.samples\)/);
    const edge = await detail(10);
    expect(edge.sample).not.toBeNull();
    expect(edge.context[0].is_violation).toBe(true); // nothing before it is left
    expect(edge.context_note).toMatch(/starts at the oldest raw sample still kept \(2026-02-11T00:00:00\.000Z\)/);
    const whole = await detail(20);
    expect(whole.context).toHaveLength(21);
    expect(whole.context_note).toBeNull();

    // A second pass has nothing to drop; a shorter rollup retention deletes hourly rows only.
    const again = await applyRetention(db.check, { samplesMs: 30 * DAY_MS, rollupsMs: 35 * DAY_MS }, NOW);
    expect(again.dropped).toEqual([]);
    expect(again.hourlyRowsDeleted).toBe(5 * 24 * SERIES.length);
    expect((await db.check.query('SELECT min(bucket) AS first FROM sample_rollups_1h')).rows[0].first).toEqual(
      new Date(START + 5 * DAY_MS),
    );
  }, 120_000);
});
