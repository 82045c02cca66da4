// /api/summary over long windows from the rollups (docs/api.md): whole hours from the hourly
// rollups, the partial hours at both ends from the minute rollups, the partial minutes from
// raw samples, so a week over a thousand series reads ~170 k rollup rows instead of ~600 M
// samples. The p95 comes from the log-bucket histograms (within 1 %, docs/sql.md).
import type pg from 'pg';
import { foldRollups } from './rollupQueries.js';
import type { LatencySummary, SeriesKey } from './seriesQueries.js';

const STATISTICS = `sum(ok) AS ok, sum(error) AS error, sum(timeout) AS timeout, sum(latency_sum_ms) AS latency_sum,
  sum(tokens_per_second_sum) AS tps_sum, sum(tokens_per_second_count) AS tps_count, llmscope_histogram_sum(latency_histogram) AS histogram`;

export async function summariseRollups(pool: pg.Pool, from: Date, to: Date, labels: Partial<SeriesKey>): Promise<LatencySummary> {
  await foldRollups(pool);
  const { rows } = await pool.query<LatencySummary>(
    `WITH e0 AS (
       SELECT $1::timestamptz AS f, $2::timestamptz AS t,
              date_trunc('minute', $1::timestamptz) + CASE WHEN $1::timestamptz > date_trunc('minute', $1::timestamptz) THEN interval '1 minute' ELSE interval '0' END AS fm,
              date_trunc('minute', $2::timestamptz) AS tm,
              date_trunc('hour', $1::timestamptz) + CASE WHEN $1::timestamptz > date_trunc('hour', $1::timestamptz) THEN interval '1 hour' ELSE interval '0' END AS fh0,
              date_trunc('hour', $2::timestamptz) AS th0
     ), e AS (
       -- Without a whole hour inside, the minutes cover everything between the partial minutes.
       SELECT f, t, fm, tm, CASE WHEN fh0 < th0 THEN fh0 ELSE tm END AS fh, CASE WHEN fh0 < th0 THEN th0 ELSE tm END AS th FROM e0
     ), chosen AS (
       SELECT id FROM series
       WHERE ($3::text IS NULL OR target = $3) AND ($4::text IS NULL OR model = $4) AND ($5::text IS NULL OR probe = $5)
     ), parts AS (
       SELECT ${STATISTICS} FROM sample_rollups_1h r, e
       WHERE r.series_id IN (SELECT id FROM chosen) AND r.bucket >= e.fh AND r.bucket < e.th
       UNION ALL
       SELECT ${STATISTICS} FROM sample_rollups_1m r, e
       WHERE r.series_id IN (SELECT id FROM chosen)
         AND ((r.bucket >= e.fm AND r.bucket < least(e.fh, e.tm)) OR (r.bucket >= greatest(e.th, e.fm) AND r.bucket < e.tm))
       UNION ALL
       SELECT count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'error'), count(*) FILTER (WHERE status = 'timeout'),
              sum(latency_ms) FILTER (WHERE status = 'ok'), sum(tokens_per_second) FILTER (WHERE status = 'ok'),
              count(tokens_per_second) FILTER (WHERE status = 'ok'),
              llmscope_histogram_of(array_agg(llmscope_latency_bucket(latency_ms)) FILTER (WHERE status = 'ok'),
                                    array_agg(1) FILTER (WHERE status = 'ok'))
       FROM samples s, e
       WHERE s.series_id IN (SELECT id FROM chosen)
         AND ((s.ts >= e.f AND s.ts < least(e.fm, e.t)) OR (s.ts >= greatest(e.tm, e.fm) AND s.ts <= e.t))
     ), total AS (
       SELECT sum(ok) AS ok, sum(error) AS error, sum(timeout) AS timeout, sum(latency_sum) AS latency_sum,
              sum(tps_sum) AS tps_sum, sum(tps_count) AS tps_count, llmscope_histogram_sum(histogram) AS histogram
       FROM parts
     )
     SELECT coalesce(ok, 0)::float8 AS ok, coalesce(error, 0)::float8 AS error, coalesce(timeout, 0)::float8 AS timeout,
            (latency_sum / nullif(ok, 0))::float8 AS mean_latency_ms,
            llmscope_histogram_quantile(histogram, 0.95) AS p95_latency_ms,
            (tps_sum / nullif(tps_count, 0))::float8 AS mean_tokens_per_second
     FROM total`,
    [from, to, labels.target ?? null, labels.model ?? null, labels.probe ?? null],
  );
  return rows[0]!;
}
