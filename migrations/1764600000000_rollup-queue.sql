-- Up Migration

-- Rollups out of the insert path (docs/scaling.md, "Retention and partitions"; docs/performance.md).
-- The insert triggers no longer aggregate: they append the inserted rows (only those an INSERT
-- actually added, so a retried or replayed sample is queued once) to two narrow queue tables
-- without indexes, in the writer's transaction. llmscope_fold_rollups() moves what is queued
-- into the rollups in one transaction (rows leave the queue exactly when they are counted), so
-- a minute of a series is upserted once per fold instead of once per batch. The collector folds
-- every few seconds and before the API reads rollups.
-- The minute rollups also keep each minute's lowest and highest ok sample as a point, so a
-- long-range chart is drawn from the minute rows alone, without reading samples back.

CREATE TABLE sample_rollup_queue (
  id bigint NOT NULL,
  series_id integer NOT NULL,
  ts timestamptz NOT NULL,
  status text NOT NULL,
  cold_start boolean NOT NULL,
  latency_ms double precision,
  tokens_per_second double precision,
  spc_center double precision,
  spc_ucl double precision,
  spc_lcl double precision
);

CREATE TABLE violation_rollup_queue (
  target text NOT NULL,
  model text NOT NULL,
  probe text NOT NULL,
  "timestamp" timestamptz NOT NULL,
  rule text NOT NULL
);

-- A chart point: {latency_ms, ±epoch µs, ±id, cold_start (0/1), spc_center, spc_ucl, spc_lcl}.
-- Arrays compare element by element, so min() of the min form is the lowest latency and, among
-- equal latencies, the earliest sample; the max form negates time and id so that max() also
-- picks the earliest of equal highest latencies. llmscope_point_ts/llmscope_point_id read them.
ALTER TABLE sample_rollups_1m ADD COLUMN latency_min_point double precision[], ADD COLUMN latency_max_point double precision[];

CREATE FUNCTION llmscope_min_point(id bigint, ts timestamptz, latency_ms double precision, cold_start boolean,
                                   center double precision, ucl double precision, lcl double precision) RETURNS double precision[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT ARRAY[latency_ms, (extract(epoch FROM ts) * 1000000)::float8, id::float8, cold_start::int::float8, center, ucl, lcl]
$$;
CREATE FUNCTION llmscope_max_point(id bigint, ts timestamptz, latency_ms double precision, cold_start boolean,
                                   center double precision, ucl double precision, lcl double precision) RETURNS double precision[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT ARRAY[latency_ms, -(extract(epoch FROM ts) * 1000000)::float8, -id::float8, cold_start::int::float8, center, ucl, lcl]
$$;

-- The statement that adds the samples of `source` (a table with the queue's columns) to both
-- rollups; replaces the version of 1764400000000 (which also served the rebuild).
CREATE OR REPLACE FUNCTION llmscope_rollup_statement(source text) RETURNS text
IMMUTABLE LANGUAGE sql AS $$
  SELECT format($f$
    WITH per_bucket AS (
      SELECT series_id, date_trunc('minute', ts) AS bucket,
             CASE WHEN status = 'ok' THEN llmscope_latency_bucket(latency_ms) END AS b,
             count(*) FILTER (WHERE status = 'ok')::integer AS ok,
             count(*) FILTER (WHERE status = 'error')::integer AS error,
             count(*) FILTER (WHERE status = 'timeout')::integer AS timeout,
             count(*) FILTER (WHERE status = 'suspect')::integer AS suspect,
             count(*) FILTER (WHERE cold_start)::integer AS cold_starts,
             min(latency_ms) FILTER (WHERE status = 'ok') AS latency_min_ms,
             max(latency_ms) FILTER (WHERE status = 'ok') AS latency_max_ms,
             coalesce(sum(latency_ms) FILTER (WHERE status = 'ok'), 0) AS latency_sum_ms,
             coalesce(sum(latency_ms * latency_ms) FILTER (WHERE status = 'ok'), 0) AS latency_sum_sq_ms,
             coalesce(sum(tokens_per_second) FILTER (WHERE status = 'ok'), 0) AS tokens_per_second_sum,
             (count(tokens_per_second) FILTER (WHERE status = 'ok'))::integer AS tokens_per_second_count,
             min(llmscope_min_point(id, ts, latency_ms, cold_start, spc_center, spc_ucl, spc_lcl)) FILTER (WHERE status = 'ok' AND latency_ms IS NOT NULL) AS latency_min_point,
             max(llmscope_max_point(id, ts, latency_ms, cold_start, spc_center, spc_ucl, spc_lcl)) FILTER (WHERE status = 'ok' AND latency_ms IS NOT NULL) AS latency_max_point
      FROM %1$s src GROUP BY 1, 2, 3
    ), minutes AS (
      SELECT series_id, bucket, sum(ok)::integer AS ok, sum(error)::integer AS error, sum(timeout)::integer AS timeout,
             sum(suspect)::integer AS suspect, sum(cold_starts)::integer AS cold_starts,
             min(latency_min_ms) AS latency_min_ms, max(latency_max_ms) AS latency_max_ms,
             sum(latency_sum_ms) AS latency_sum_ms, sum(latency_sum_sq_ms) AS latency_sum_sq_ms,
             llmscope_histogram_of(array_agg(b) FILTER (WHERE b IS NOT NULL), array_agg(ok) FILTER (WHERE b IS NOT NULL)) AS latency_histogram,
             sum(tokens_per_second_sum) AS tokens_per_second_sum, sum(tokens_per_second_count)::integer AS tokens_per_second_count,
             min(latency_min_point) AS latency_min_point, max(latency_max_point) AS latency_max_point
      FROM per_bucket GROUP BY 1, 2
    ), minute_rows AS (
      INSERT INTO sample_rollups_1m AS r (series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms, latency_max_ms,
                                          latency_sum_ms, latency_sum_sq_ms, latency_histogram, tokens_per_second_sum, tokens_per_second_count,
                                          latency_min_point, latency_max_point)
      SELECT * FROM minutes
      ON CONFLICT (series_id, bucket) DO UPDATE SET
%2$s,
      latency_min_point = least(r.latency_min_point, EXCLUDED.latency_min_point),
      latency_max_point = greatest(r.latency_max_point, EXCLUDED.latency_max_point)
    )
    INSERT INTO sample_rollups_1h AS r (series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms, latency_max_ms,
                                        latency_sum_ms, latency_sum_sq_ms, latency_histogram, tokens_per_second_sum, tokens_per_second_count)
    SELECT series_id, date_trunc('hour', bucket), sum(ok), sum(error), sum(timeout), sum(suspect), sum(cold_starts),
           min(latency_min_ms), max(latency_max_ms), sum(latency_sum_ms), sum(latency_sum_sq_ms),
           llmscope_histogram_sum(latency_histogram), sum(tokens_per_second_sum), sum(tokens_per_second_count)
    FROM minutes GROUP BY 1, 2
    ON CONFLICT (series_id, bucket) DO UPDATE SET
%2$s
  $f$, source, $u$      ok = r.ok + EXCLUDED.ok,
      error = r.error + EXCLUDED.error,
      timeout = r.timeout + EXCLUDED.timeout,
      suspect = r.suspect + EXCLUDED.suspect,
      cold_starts = r.cold_starts + EXCLUDED.cold_starts,
      latency_min_ms = least(r.latency_min_ms, EXCLUDED.latency_min_ms),
      latency_max_ms = greatest(r.latency_max_ms, EXCLUDED.latency_max_ms),
      latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
      latency_sum_sq_ms = r.latency_sum_sq_ms + EXCLUDED.latency_sum_sq_ms,
      latency_histogram = llmscope_histogram_add(r.latency_histogram, EXCLUDED.latency_histogram),
      tokens_per_second_sum = r.tokens_per_second_sum + EXCLUDED.tokens_per_second_sum,
      tokens_per_second_count = r.tokens_per_second_count + EXCLUDED.tokens_per_second_count$u$)
$$;

-- The insert triggers only queue what the INSERT added (ON CONFLICT DO NOTHING leaves a
-- replayed row out of the transition table).
CREATE OR REPLACE FUNCTION llmscope_samples_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sample_rollup_queue (id, series_id, ts, status, cold_start, latency_ms, tokens_per_second, spc_center, spc_ucl, spc_lcl)
  SELECT id, series_id, ts, status, cold_start, latency_ms, tokens_per_second, spc_center, spc_ucl, spc_lcl FROM inserted;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION llmscope_violations_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO violation_rollup_queue (target, model, probe, "timestamp", rule) SELECT target, model, probe, "timestamp", rule FROM inserted;
  RETURN NULL;
END $$;

-- Folds are serialised by this transaction-level advisory lock (a rebuild holds it too), so two
-- folds never upsert the same rollup rows in different orders.
CREATE FUNCTION llmscope_rollup_lock_key() RETURNS bigint IMMUTABLE LANGUAGE sql AS $$ SELECT 7146158201330419001::bigint $$;

-- Moves everything queued into the rollups; returns the number of samples folded. The queued rows
-- are deleted and counted in one transaction: a row is in the queue or in the rollups, never both.
CREATE FUNCTION llmscope_fold_rollups() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  lo timestamptz;
  hi timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(llmscope_rollup_lock_key());
  CREATE TEMP TABLE IF NOT EXISTS llmscope_folding_samples (LIKE sample_rollup_queue) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS llmscope_folding_violations (LIKE violation_rollup_queue) ON COMMIT DELETE ROWS;
  -- Emptied here too: a caller's open transaction may have folded before.
  DELETE FROM llmscope_folding_samples;
  DELETE FROM llmscope_folding_violations;
  WITH moved AS (DELETE FROM sample_rollup_queue RETURNING *) INSERT INTO llmscope_folding_samples SELECT * FROM moved;
  GET DIAGNOSTICS n = ROW_COUNT;
  WITH moved AS (DELETE FROM violation_rollup_queue RETURNING *) INSERT INTO llmscope_folding_violations SELECT * FROM moved;
  IF n > 0 THEN
    -- A spill replayed days later may meet a day retention already dropped: it is made again.
    SELECT min(ts), max(ts) INTO lo, hi FROM llmscope_folding_samples;
    PERFORM llmscope_ensure_partitions(lo, hi);
    EXECUTE llmscope_rollup_statement('llmscope_folding_samples');
  END IF;
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1m', 'minute', 'llmscope_folding_violations');
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1h', 'hour', 'llmscope_folding_violations');
  RETURN n;
END $$;

-- Recomputes the rollups of [from, to) (widened to whole hours) from the raw samples and
-- violations; replaces the version of 1764400000000. Queued rows inside the range are dropped
-- from the queue: the raw rows this statement reads hold them. Run in REPEATABLE READ (the
-- collector's rebuild does) so the queue and the raw rows are read at one snapshot when
-- writers are busy; folds wait for it (same advisory lock).
CREATE OR REPLACE FUNCTION llmscope_rebuild_rollups(from_ts timestamptz, to_ts timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('hour', from_ts);
  hi timestamptz := date_trunc('hour', to_ts) + CASE WHEN to_ts > date_trunc('hour', to_ts) THEN interval '1 hour' ELSE interval '0' END;
  raw text := format('(SELECT * FROM samples WHERE ts >= %L AND ts < %L)', lo, hi);
  opened text := format('(SELECT * FROM violations WHERE "timestamp" >= %L AND "timestamp" < %L)', lo, hi);
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(llmscope_rollup_lock_key());
  PERFORM llmscope_ensure_partitions(lo, hi - interval '1 microsecond');
  DELETE FROM sample_rollup_queue WHERE ts >= lo AND ts < hi;
  DELETE FROM violation_rollup_queue WHERE "timestamp" >= lo AND "timestamp" < hi;
  DELETE FROM sample_rollups_1m WHERE bucket >= lo AND bucket < hi;
  DELETE FROM sample_rollups_1h WHERE bucket >= lo AND bucket < hi;
  EXECUTE llmscope_rollup_statement(raw);
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1m', 'minute', opened);
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1h', 'hour', opened);
  SELECT count(*) INTO n FROM samples WHERE ts >= lo AND ts < hi;
  RETURN n;
END $$;

-- Existing minute rows get their extreme points from the raw samples (minute rollups and raw
-- samples follow the same retention, so every minute row still has its samples).
UPDATE sample_rollups_1m r SET latency_min_point = p.lo, latency_max_point = p.hi
FROM (
  SELECT series_id, date_trunc('minute', ts) AS bucket,
         min(llmscope_min_point(id, ts, latency_ms, cold_start, spc_center, spc_ucl, spc_lcl)) AS lo,
         max(llmscope_max_point(id, ts, latency_ms, cold_start, spc_center, spc_ucl, spc_lcl)) AS hi
  FROM samples WHERE status = 'ok' AND latency_ms IS NOT NULL GROUP BY 1, 2
) p
WHERE r.series_id = p.series_id AND r.bucket = p.bucket;

-- Down Migration
-- Back to rollups kept by the insert triggers: what is queued is folded first, so no count is lost.
SELECT llmscope_fold_rollups();
CREATE OR REPLACE FUNCTION llmscope_rebuild_rollups(from_ts timestamptz, to_ts timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('hour', from_ts);
  hi timestamptz := date_trunc('hour', to_ts) + CASE WHEN to_ts > date_trunc('hour', to_ts) THEN interval '1 hour' ELSE interval '0' END;
  raw text := format('(SELECT * FROM samples WHERE ts >= %L AND ts < %L)', lo, hi);
  opened text := format('(SELECT * FROM violations WHERE "timestamp" >= %L AND "timestamp" < %L)', lo, hi);
  n bigint;
BEGIN
  PERFORM llmscope_ensure_partitions(lo, hi - interval '1 microsecond');
  DELETE FROM sample_rollups_1m WHERE bucket >= lo AND bucket < hi;
  DELETE FROM sample_rollups_1h WHERE bucket >= lo AND bucket < hi;
  EXECUTE llmscope_rollup_statement(raw);
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1m', 'minute', opened);
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1h', 'hour', opened);
  SELECT count(*) INTO n FROM samples WHERE ts >= lo AND ts < hi;
  RETURN n;
END $$;
CREATE OR REPLACE FUNCTION llmscope_samples_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE llmscope_rollup_statement('inserted');
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION llmscope_violations_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1m', 'minute', 'inserted');
  EXECUTE llmscope_violation_rollup_statement('sample_rollups_1h', 'hour', 'inserted');
  RETURN NULL;
END $$;
DROP FUNCTION llmscope_fold_rollups();
DROP FUNCTION llmscope_rollup_lock_key();
ALTER TABLE sample_rollups_1m DROP COLUMN latency_min_point, DROP COLUMN latency_max_point;
-- The rollup statement of 1764400000000, without the point columns.
CREATE OR REPLACE FUNCTION llmscope_rollup_statement(source text) RETURNS text
IMMUTABLE LANGUAGE sql AS $$
  SELECT format($f$
    WITH per_bucket AS (
      SELECT series_id, date_trunc('minute', ts) AS bucket,
             CASE WHEN status = 'ok' THEN llmscope_latency_bucket(latency_ms) END AS b,
             count(*) FILTER (WHERE status = 'ok')::integer AS ok,
             count(*) FILTER (WHERE status = 'error')::integer AS error,
             count(*) FILTER (WHERE status = 'timeout')::integer AS timeout,
             count(*) FILTER (WHERE status = 'suspect')::integer AS suspect,
             count(*) FILTER (WHERE cold_start)::integer AS cold_starts,
             min(latency_ms) FILTER (WHERE status = 'ok') AS latency_min_ms,
             max(latency_ms) FILTER (WHERE status = 'ok') AS latency_max_ms,
             coalesce(sum(latency_ms) FILTER (WHERE status = 'ok'), 0) AS latency_sum_ms,
             coalesce(sum(latency_ms * latency_ms) FILTER (WHERE status = 'ok'), 0) AS latency_sum_sq_ms,
             coalesce(sum(tokens_per_second) FILTER (WHERE status = 'ok'), 0) AS tokens_per_second_sum,
             (count(tokens_per_second) FILTER (WHERE status = 'ok'))::integer AS tokens_per_second_count
      FROM %1$s src GROUP BY 1, 2, 3
    ), minutes AS (
      SELECT series_id, bucket, sum(ok)::integer AS ok, sum(error)::integer AS error, sum(timeout)::integer AS timeout,
             sum(suspect)::integer AS suspect, sum(cold_starts)::integer AS cold_starts,
             min(latency_min_ms) AS latency_min_ms, max(latency_max_ms) AS latency_max_ms,
             sum(latency_sum_ms) AS latency_sum_ms, sum(latency_sum_sq_ms) AS latency_sum_sq_ms,
             llmscope_histogram_of(array_agg(b) FILTER (WHERE b IS NOT NULL), array_agg(ok) FILTER (WHERE b IS NOT NULL)) AS latency_histogram,
             sum(tokens_per_second_sum) AS tokens_per_second_sum, sum(tokens_per_second_count)::integer AS tokens_per_second_count
      FROM per_bucket GROUP BY 1, 2
    ), minute_rows AS (
      INSERT INTO sample_rollups_1m AS r (series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms, latency_max_ms,
                                          latency_sum_ms, latency_sum_sq_ms, latency_histogram, tokens_per_second_sum, tokens_per_second_count)
      SELECT * FROM minutes
      ON CONFLICT (series_id, bucket) DO UPDATE SET
%2$s
    )
    INSERT INTO sample_rollups_1h AS r (series_id, bucket, ok, error, timeout, suspect, cold_starts, latency_min_ms, latency_max_ms,
                                        latency_sum_ms, latency_sum_sq_ms, latency_histogram, tokens_per_second_sum, tokens_per_second_count)
    SELECT series_id, date_trunc('hour', bucket), sum(ok), sum(error), sum(timeout), sum(suspect), sum(cold_starts),
           min(latency_min_ms), max(latency_max_ms), sum(latency_sum_ms), sum(latency_sum_sq_ms),
           llmscope_histogram_sum(latency_histogram), sum(tokens_per_second_sum), sum(tokens_per_second_count)
    FROM minutes GROUP BY 1, 2
    ON CONFLICT (series_id, bucket) DO UPDATE SET
%2$s
  $f$, source, $u$      ok = r.ok + EXCLUDED.ok,
      error = r.error + EXCLUDED.error,
      timeout = r.timeout + EXCLUDED.timeout,
      suspect = r.suspect + EXCLUDED.suspect,
      cold_starts = r.cold_starts + EXCLUDED.cold_starts,
      latency_min_ms = least(r.latency_min_ms, EXCLUDED.latency_min_ms),
      latency_max_ms = greatest(r.latency_max_ms, EXCLUDED.latency_max_ms),
      latency_sum_ms = r.latency_sum_ms + EXCLUDED.latency_sum_ms,
      latency_sum_sq_ms = r.latency_sum_sq_ms + EXCLUDED.latency_sum_sq_ms,
      latency_histogram = llmscope_histogram_add(r.latency_histogram, EXCLUDED.latency_histogram),
      tokens_per_second_sum = r.tokens_per_second_sum + EXCLUDED.tokens_per_second_sum,
      tokens_per_second_count = r.tokens_per_second_count + EXCLUDED.tokens_per_second_count$u$)
$$;
DROP FUNCTION llmscope_max_point(bigint, timestamptz, double precision, boolean, double precision, double precision, double precision);
DROP FUNCTION llmscope_min_point(bigint, timestamptz, double precision, boolean, double precision, double precision, double precision);
DROP TABLE violation_rollup_queue;
DROP TABLE sample_rollup_queue;
