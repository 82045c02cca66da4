// The `samples` table (migrations/): one row per probe, ok or not. spc_* are the limits in
// force for that point, back-transformed to milliseconds, so plain SQL can draw the chart.
import type { RowOf, TableSpec } from './columns.js';
import { SAMPLE_STATUSES } from './values.js';

export const SAMPLES = {
  name: 'samples',
  columns: {
    id: { type: 'bigint', nullable: false },
    uid: { type: 'uuid', nullable: false },
    ts: { type: 'timestamp with time zone', nullable: false },
    collector: { type: 'text', nullable: false },
    target: { type: 'text', nullable: false },
    provider: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    prompt_hash: { type: 'text', nullable: false },
    prompt: { type: 'text', nullable: true },
    status: { type: 'text', nullable: false, values: SAMPLE_STATUSES },
    error: { type: 'text', nullable: true },
    cold_start: { type: 'boolean', nullable: false },
    latency_ms: { type: 'double precision', nullable: false },
    ttft_ms: { type: 'double precision', nullable: true },
    total_duration_ms: { type: 'double precision', nullable: true },
    load_duration_ms: { type: 'double precision', nullable: true },
    prompt_eval_count: { type: 'integer', nullable: true },
    prompt_eval_duration_ms: { type: 'double precision', nullable: true },
    eval_count: { type: 'integer', nullable: true },
    eval_duration_ms: { type: 'double precision', nullable: true },
    tokens_per_second: { type: 'double precision', nullable: true },
    cpu_percent: { type: 'double precision', nullable: true },
    memory_percent: { type: 'double precision', nullable: true },
    gpu_percent: { type: 'double precision', nullable: true },
    gpu_memory_percent: { type: 'double precision', nullable: true },
    spc_center: { type: 'double precision', nullable: true },
    spc_sigma: { type: 'double precision', nullable: true },
    spc_ucl: { type: 'double precision', nullable: true },
    spc_lcl: { type: 'double precision', nullable: true },
    /** The series (series.id) of target × model × probe; samples are keyed by (series_id, ts). */
    series_id: { type: 'integer', nullable: false },
  },
} as const satisfies TableSpec;

export type SampleColumn = keyof typeof SAMPLES.columns;
export type SampleRecord<Time = Date> = RowOf<typeof SAMPLES, Time>;
