// The series table and the per-minute / per-hour rollups of samples (migrations/
// 1764400000000_series-partitions.sql; docs/sql.md shows how to query them).
import type { RowOf, TableSpec } from './columns.js';

/** One row per series (target × model × probe); samples.series_id points here. */
export const SERIES = {
  name: 'series',
  columns: {
    id: { type: 'integer', nullable: false },
    target: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    provider: { type: 'text', nullable: false },
    created_at: { type: 'timestamp with time zone', nullable: false },
  },
} as const satisfies TableSpec;

/** Both rollup tables have these columns; latency statistics are over ok probes. */
const ROLLUP_COLUMNS = {
  series_id: { type: 'integer', nullable: false },
  bucket: { type: 'timestamp with time zone', nullable: false },
  ok: { type: 'integer', nullable: false },
  error: { type: 'integer', nullable: false },
  timeout: { type: 'integer', nullable: false },
  suspect: { type: 'integer', nullable: false },
  cold_starts: { type: 'integer', nullable: false },
  latency_min_ms: { type: 'double precision', nullable: true },
  latency_max_ms: { type: 'double precision', nullable: true },
  latency_sum_ms: { type: 'double precision', nullable: false },
  latency_sum_sq_ms: { type: 'double precision', nullable: false },
  /** Counts of ok latencies per log bucket: subscript i counts [1.02^i, 1.02^(i+1)) ms. */
  latency_histogram: { type: 'ARRAY', nullable: true },
  tokens_per_second_sum: { type: 'double precision', nullable: false },
  tokens_per_second_count: { type: 'integer', nullable: false },
  /** Violation episodes opened in the bucket, by rule: {"R1": 2}. */
  violations: { type: 'jsonb', nullable: false },
} as const;

export const SAMPLE_ROLLUPS_1M = {
  name: 'sample_rollups_1m',
  columns: {
    ...ROLLUP_COLUMNS,
    /**
     * The minute's lowest and highest ok sample as a chart point (migrations/1764600000000_rollup-queue.sql):
     * {latency_ms, ±epoch µs, ±id, cold_start 0/1, spc_center, spc_ucl, spc_lcl}; time and id negated in the max form.
     */
    latency_min_point: { type: 'ARRAY', nullable: true },
    latency_max_point: { type: 'ARRAY', nullable: true },
  },
} as const satisfies TableSpec;
export const SAMPLE_ROLLUPS_1H = { name: 'sample_rollups_1h', columns: ROLLUP_COLUMNS } as const satisfies TableSpec;

/**
 * What the insert triggers queued for the rollups and the next fold has not yet counted
 * (migrations/1764600000000_rollup-queue.sql; docs/sql.md).
 */
export const SAMPLE_ROLLUP_QUEUE = {
  name: 'sample_rollup_queue',
  columns: {
    id: { type: 'bigint', nullable: false },
    series_id: { type: 'integer', nullable: false },
    ts: { type: 'timestamp with time zone', nullable: false },
    status: { type: 'text', nullable: false },
    cold_start: { type: 'boolean', nullable: false },
    latency_ms: { type: 'double precision', nullable: true },
    tokens_per_second: { type: 'double precision', nullable: true },
    spc_center: { type: 'double precision', nullable: true },
    spc_ucl: { type: 'double precision', nullable: true },
    spc_lcl: { type: 'double precision', nullable: true },
  },
} as const satisfies TableSpec;

export const VIOLATION_ROLLUP_QUEUE = {
  name: 'violation_rollup_queue',
  columns: {
    target: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    timestamp: { type: 'timestamp with time zone', nullable: false },
    rule: { type: 'text', nullable: false },
  },
} as const satisfies TableSpec;

export type SeriesRecord<Time = Date> = RowOf<typeof SERIES, Time>;
export type SampleRollupRecord<Time = Date> = RowOf<typeof SAMPLE_ROLLUPS_1M, Time>;
