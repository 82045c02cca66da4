-- Up Migration

-- The rollup fold calls llmscope_latency_bucket, llmscope_min_point and llmscope_max_point once per
-- queued sample each. Postgres inlines a one-expression SQL function into the calling query only
-- when the expression is no more volatile than the function and, for a STRICT function, strict
-- itself. Neither held: the bucket is STRICT around greatest() (not strict), and the points are
-- IMMUTABLE around extract(epoch FROM timestamptz) (stable). So each call ran the SQL-function
-- executor: 1.6 s for 200 000 rows against 0.16 s inlined, most of a fold's time
-- (docs/performance.md, ingest). Same results for every input, NULL included: the bucket's NULL
-- test replaces STRICT, and the epoch is taken of the interval since 1970 (immutable, exact).

CREATE OR REPLACE FUNCTION llmscope_latency_bucket(ms double precision) RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$ SELECT CASE WHEN ms IS NOT NULL THEN floor(ln(greatest(ms, 0.01)) / ln(1.02))::integer END $$;

CREATE OR REPLACE FUNCTION llmscope_min_point(id bigint, ts timestamptz, latency_ms double precision, cold_start boolean,
                                              center double precision, ucl double precision, lcl double precision) RETURNS double precision[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT ARRAY[latency_ms, (extract(epoch FROM ts - to_timestamp(0)) * 1000000)::float8, id::float8, cold_start::int::float8, center, ucl, lcl]
$$;

CREATE OR REPLACE FUNCTION llmscope_max_point(id bigint, ts timestamptz, latency_ms double precision, cold_start boolean,
                                              center double precision, ucl double precision, lcl double precision) RETURNS double precision[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT ARRAY[latency_ms, -(extract(epoch FROM ts - to_timestamp(0)) * 1000000)::float8, -id::float8, cold_start::int::float8, center, ucl, lcl]
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION llmscope_max_point(id bigint, ts timestamptz, latency_ms double precision, cold_start boolean,
                                              center double precision, ucl double precision, lcl double precision) RETURNS double precision[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT ARRAY[latency_ms, -(extract(epoch FROM ts) * 1000000)::float8, -id::float8, cold_start::int::float8, center, ucl, lcl]
$$;
CREATE OR REPLACE FUNCTION llmscope_min_point(id bigint, ts timestamptz, latency_ms double precision, cold_start boolean,
                                              center double precision, ucl double precision, lcl double precision) RETURNS double precision[]
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT ARRAY[latency_ms, (extract(epoch FROM ts) * 1000000)::float8, id::float8, cold_start::int::float8, center, ucl, lcl]
$$;
CREATE OR REPLACE FUNCTION llmscope_latency_bucket(ms double precision) RETURNS integer
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT floor(ln(greatest(ms, 0.01)) / ln(1.02))::integer $$;
