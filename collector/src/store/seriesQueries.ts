// Read SQL over samples for the series, SPC chart, violation detail and summary endpoints.
import type pg from 'pg';
import { columnNames, selectList, SAMPLES, type SampleRecord } from '@llmscope/contract';
import type { SeriesKey } from './rows.js';

export type { SeriesKey };

export interface SeriesOverview extends SeriesKey {
  provider: string;
  samples: number;
  first_at: Date;
  last_at: Date;
  last_status: string;
  violations: number;
  unacknowledged_violations: number;
}

export async function listSeries(pool: pg.Pool): Promise<SeriesOverview[]> {
  // Counts come from the hourly rollups (they outlive raw samples: docs/scaling.md); the first
  // and latest samples from index probes on (series_id, ts), never from a scan of the series.
  const { rows } = await pool.query<SeriesOverview>(
    `WITH series AS (
       SELECT se.id, se.target, se.model, se.probe, counted.samples, first.ts AS first_at, latest.ts AS last_at,
              latest.provider, latest.status
       FROM series se
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(r.ok + r.error + r.timeout + r.suspect), 0)::float8 AS samples FROM sample_rollups_1h r WHERE r.series_id = se.id
       ) counted
       CROSS JOIN LATERAL (SELECT x.ts FROM samples x WHERE x.series_id = se.id ORDER BY x.ts LIMIT 1) first
       CROSS JOIN LATERAL (
         SELECT x.ts, x.provider, x.status FROM samples x WHERE x.series_id = se.id ORDER BY x.ts DESC, x.id DESC LIMIT 1
       ) latest
     ), episodes AS (
       SELECT target, model, probe, count(*) AS total, count(*) FILTER (WHERE acknowledged_at IS NULL) AS open
       FROM violations GROUP BY target, model, probe
     )
     SELECT s.target, s.model, s.probe, s.provider, s.samples, s.first_at, s.last_at, s.status AS last_status,
            coalesce(e.total, 0)::float8 AS violations, coalesce(e.open, 0)::float8 AS unacknowledged_violations
     FROM series s
     LEFT JOIN episodes e USING (target, model, probe)
     ORDER BY s.target, s.model, s.probe`,
  );
  return rows;
}

/** The series whose labels match every label given (an omitted label matches anything). */
export async function matchSeries(pool: pg.Pool, labels: Partial<SeriesKey>, limit: number): Promise<SeriesKey[]> {
  const { rows } = await pool.query<SeriesKey>(
    `SELECT target, model, probe FROM series
     WHERE ($1::text IS NULL OR target = $1) AND ($2::text IS NULL OR model = $2) AND ($3::text IS NULL OR probe = $3)
     ORDER BY target, model, probe LIMIT $4`,
    [labels.target ?? null, labels.model ?? null, labels.probe ?? null, limit],
  );
  return rows;
}

export interface ChartPoint {
  id: number;
  ts: Date;
  latency_ms: number;
  status: string;
  cold_start: boolean;
  spc_center: number | null;
  spc_ucl: number | null;
  spc_lcl: number | null;
  rules: string[];
  severities: string[];
  violation_ids: number[];
}

export interface ChartQuery {
  series: SeriesKey;
  from: Date;
  to: Date;
  maxPoints: number;
}

/**
 * The violations opened on the series' points in the range, one row per sample. An episode's
 * "timestamp" is the time of the sample that opened it, so the series-and-time index finds them.
 */
const SERIES_FLAGS = `flags AS (
    SELECT v.sample_id, array_agg(v.rule ORDER BY v.rule) AS rules, array_agg(v.severity ORDER BY v.rule) AS severities,
           array_agg(v.id::float8 ORDER BY v.rule) AS violation_ids, min(v."timestamp") AS sample_ts
    FROM violations v
    WHERE v.target = $1 AND v.model = $2 AND v.probe = $3 AND v."timestamp" >= $4 AND v."timestamp" <= $5
    GROUP BY v.sample_id
  )`;

const POINT_COLUMNS = `p.id::float8 AS id, p.ts, p.latency_ms, p.status, p.cold_start, p.spc_center, p.spc_ucl, p.spc_lcl,
  coalesce(f.rules, '{}') AS rules, coalesce(f.severities, '{}') AS severities,
  coalesce(f.violation_ids, '{}') AS violation_ids`;

/** The series' id from its labels: samples are found by (series_id, ts), an index range scan. */
const SERIES_ID = '(SELECT id FROM series WHERE target = $1 AND model = $2 AND probe = $3)';

const seriesParams = (q: ChartQuery) => [q.series.target, q.series.model, q.series.probe, q.from, q.to];

/**
 * The number of samples in [from, to], exact: whole minutes inside the range are summed from
 * the minute rollups, the partial minutes at both ends are counted from raw samples, so a
 * week of a million samples costs ten thousand rollup rows, not a million index entries.
 */
export async function countSeriesPoints(pool: pg.Pool, q: ChartQuery): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `WITH k AS (SELECT ${SERIES_ID} AS id,
                       date_trunc('minute', $4::timestamptz) + CASE WHEN $4::timestamptz > date_trunc('minute', $4::timestamptz) THEN interval '1 minute' ELSE interval '0' END AS a,
                       date_trunc('minute', $5::timestamptz) AS b)
     SELECT CASE WHEN k.a >= k.b
       THEN (SELECT count(*) FROM samples WHERE series_id = k.id AND ts >= $4 AND ts <= $5)
       ELSE (SELECT coalesce(sum(ok + error + timeout + suspect), 0) FROM sample_rollups_1m WHERE series_id = k.id AND bucket >= k.a AND bucket < k.b)
          + (SELECT count(*) FROM samples WHERE series_id = k.id AND ts >= $4 AND ts < k.a)
          + (SELECT count(*) FROM samples WHERE series_id = k.id AND ts >= k.b AND ts <= $5)
       END::float8 AS n
     FROM k`,
    seriesParams(q),
  );
  return rows[0]?.n ?? 0;
}

/** Every point of the range in time order, each with the rules that opened a violation on it. */
export async function chartPoints(pool: pg.Pool, q: ChartQuery): Promise<ChartPoint[]> {
  const { rows } = await pool.query<ChartPoint>(
    `WITH ${SERIES_FLAGS}
     SELECT ${POINT_COLUMNS} FROM samples p LEFT JOIN flags f ON f.sample_id = p.id
     WHERE p.series_id = ${SERIES_ID} AND p.ts >= $4 AND p.ts <= $5
     ORDER BY p.ts, p.id`,
    seriesParams(q),
  );
  return rows;
}

/**
 * Min/max per time bucket, computed in Postgres so a range of a million samples never comes
 * into memory: each of `buckets` equal time slices keeps its lowest and highest latency (one
 * point each when several tie), and every point that opened a violation is kept whatever its
 * bucket. Aggregates and hash joins rather than window functions: no sort of the whole range.
 */
export async function downsampledChartPoints(pool: pg.Pool, q: ChartQuery, buckets: number): Promise<ChartPoint[]> {
  const { rows } = await pool.query<ChartPoint>(
    `WITH pts AS MATERIALIZED (
       SELECT s.id, s.ts, s.latency_ms, width_bucket(extract(epoch FROM s.ts)::float8, $6::float8, $7::float8, $8::int) AS bucket
       FROM samples s
       WHERE s.series_id = ${SERIES_ID} AND s.ts >= $4 AND s.ts <= $5
     ), extremes AS (
       SELECT bucket, min(latency_ms) AS lowest, max(latency_ms) AS highest FROM pts GROUP BY bucket
     ), ${SERIES_FLAGS}, kept AS (
       (SELECT DISTINCT ON (p.bucket, p.latency_ms) p.id, p.ts
        FROM pts p JOIN extremes e ON e.bucket = p.bucket AND p.latency_ms IN (e.lowest, e.highest)
        ORDER BY p.bucket, p.latency_ms, p.id)
       UNION
       SELECT sample_id, sample_ts FROM flags
     )
     SELECT ${POINT_COLUMNS} FROM kept k JOIN samples p ON p.id = k.id AND p.ts = k.ts LEFT JOIN flags f ON f.sample_id = p.id
     ORDER BY p.ts, p.id`,
    [
      ...seriesParams(q),
      q.from.getTime() / 1000,
      // width_bucket's upper bound is exclusive: nudge it so a point exactly at `to` stays in the last bucket.
      q.to.getTime() / 1000 + 0.001,
      buckets,
    ],
  );
  return rows;
}

/**
 * The same answer as downsampledChartPoints for ranges too long to scan (docs/api.md): each
 * time bucket keeps its lowest and highest ok latency, taken from the chart points the minute
 * rollups keep for their extremes (migrations/1764600000000_rollup-queue.sql), so no sample is
 * read back for them. Every point that opened a violation is kept as well. Errors and timeouts are counted in the
 * rollups but not drawn at this resolution. The caller folds the rollup queue first.
 */
export async function rollupChartPoints(pool: pg.Pool, q: ChartQuery, buckets: number): Promise<ChartPoint[]> {
  // Hash aggregates over arrays (min/max of a point array is the point with the lowest/highest
  // latency): no sort of the minute rows, and a named statement, so the plan over the day
  // partitions is made once per connection (docs/performance.md).
  const { rows } = await pool.query<ChartPoint>({
    name: 'llmscope-rollup-chart-points',
    text: `WITH k AS (SELECT ${SERIES_ID} AS id), minutes AS (
       SELECT r.bucket AS at, r.latency_min_point AS lo, r.latency_max_point AS hi
       FROM sample_rollups_1m r, k
       WHERE r.series_id = k.id AND r.bucket >= date_trunc('minute', $4::timestamptz) AND r.bucket <= $5 AND r.ok > 0
     ), extremes AS (
       SELECT min(lo) AS lo, max(hi) AS hi
       FROM minutes GROUP BY width_bucket(extract(epoch FROM at)::float8, $6::float8, $7::float8, $8::int)
     ), picked AS (
       SELECT DISTINCT abs(pt[3])::bigint AS id, to_timestamp(abs(pt[2]) / 1000000) AS ts, pt[1] AS latency_ms,
              pt[4] = 1 AS cold_start, pt[5] AS spc_center, pt[6] AS spc_ucl, pt[7] AS spc_lcl
       FROM extremes CROSS JOIN LATERAL (VALUES (lo), (hi)) AS v(pt) WHERE pt IS NOT NULL
     ), ${SERIES_FLAGS}, p AS (
       -- A minute cut by the range's ends may have its extreme outside: that point is not drawn.
       SELECT id, ts, latency_ms, 'ok'::text AS status, cold_start, spc_center, spc_ucl, spc_lcl FROM picked WHERE ts >= $4 AND ts <= $5
       UNION
       -- The range's bounds on x.ts as well: only the range's day partitions are planned and probed.
       SELECT x.id, x.ts, x.latency_ms, x.status, x.cold_start, x.spc_center, x.spc_ucl, x.spc_lcl
       FROM flags JOIN samples x ON x.id = flags.sample_id AND x.ts = flags.sample_ts AND x.ts >= $4 AND x.ts <= $5
     )
     SELECT ${POINT_COLUMNS} FROM p LEFT JOIN flags f ON f.sample_id = p.id
     ORDER BY p.ts, p.id`,
    values: [...seriesParams(q), q.from.getTime() / 1000, q.to.getTime() / 1000 + 0.001, buckets],
  });
  return rows;
}

/** A samples row as the API shows it: every column but the internal series key. */
export type SampleDetail = Omit<SampleRecord, 'series_id'>;

const SAMPLE_COLUMNS = selectList(
  SAMPLES,
  columnNames(SAMPLES).filter((c) => c !== 'series_id'),
  's',
);

export async function getSample(pool: pg.Pool, id: number): Promise<SampleDetail | null> {
  const { rows } = await pool.query<SampleDetail>(`SELECT ${SAMPLE_COLUMNS} FROM samples s WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

export interface Neighbours {
  before: SampleDetail[];
  after: SampleDetail[];
}

/**
 * Up to `n` samples of the same series on each side of `centre`, in time order, ordered by
 * (ts, id) so samples sharing a timestamp are neither skipped nor repeated.
 * `okOnly` restricts them to successful probes (the points SPC charts).
 */
export async function neighbouringSamples(pool: pg.Pool, centre: SampleDetail, n: number, okOnly: boolean): Promise<Neighbours> {
  const status = okOnly ? `AND s.status = 'ok'` : '';
  const params = [centre.target, centre.model, centre.probe, centre.ts, centre.id, n];
  const series = 's.series_id = (SELECT id FROM series WHERE target = $1 AND model = $2 AND probe = $3)';
  const [before, after] = await Promise.all([
    pool.query<SampleDetail>(
      `SELECT ${SAMPLE_COLUMNS} FROM samples s WHERE ${series} ${status} AND (s.ts, s.id) < ($4, $5::bigint)
       ORDER BY s.ts DESC, s.id DESC LIMIT $6`,
      params,
    ),
    pool.query<SampleDetail>(
      `SELECT ${SAMPLE_COLUMNS} FROM samples s WHERE ${series} ${status} AND (s.ts, s.id) > ($4, $5::bigint)
       ORDER BY s.ts, s.id LIMIT $6`,
      params,
    ),
  ]);
  return { before: before.rows.reverse(), after: after.rows };
}

export interface LatencySummary {
  ok: number;
  error: number;
  timeout: number;
  mean_latency_ms: number | null;
  p95_latency_ms: number | null;
  mean_tokens_per_second: number | null;
}

/** Latency statistics over successful probes in [from, to]; errors and timeouts are only counted. */
export async function summariseSamples(pool: pg.Pool, from: Date, to: Date, labels: Partial<SeriesKey>): Promise<LatencySummary> {
  const { rows } = await pool.query<LatencySummary>(
    `SELECT count(*) FILTER (WHERE status = 'ok')::float8 AS ok,
            count(*) FILTER (WHERE status = 'error')::float8 AS error,
            count(*) FILTER (WHERE status = 'timeout')::float8 AS timeout,
            avg(latency_ms) FILTER (WHERE status = 'ok') AS mean_latency_ms,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status = 'ok') AS p95_latency_ms,
            avg(tokens_per_second) FILTER (WHERE status = 'ok') AS mean_tokens_per_second
     FROM samples
     WHERE ts >= $1 AND ts <= $2
       AND ($3::text IS NULL OR target = $3) AND ($4::text IS NULL OR model = $4) AND ($5::text IS NULL OR probe = $5)`,
    [from, to, labels.target ?? null, labels.model ?? null, labels.probe ?? null],
  );
  return rows[0]!;
}
