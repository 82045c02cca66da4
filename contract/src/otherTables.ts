// The tables only the collector reads and writes; they are here so the schema test covers
// every table (docs/architecture.md, "Adding a column").
import type { RowOf, TableSpec } from './columns.js';
import { MODEL_EVENTS, SIGMA_METHODS, TRANSFORMS } from './values.js';

/** Phase I results: the limits a series was frozen on, in the charted scale (ln(ms) for log). */
export const BASELINES = {
  name: 'baselines',
  columns: {
    id: { type: 'bigint', nullable: false },
    target: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    transform: { type: 'text', nullable: false, values: TRANSFORMS },
    sigma_method: { type: 'text', nullable: false, values: SIGMA_METHODS },
    center: { type: 'double precision', nullable: false },
    sigma: { type: 'double precision', nullable: false },
    n: { type: 'integer', nullable: false },
    computed_at: { type: 'timestamp with time zone', nullable: false },
    active: { type: 'boolean', nullable: false },
  },
} as const satisfies TableSpec;

/** Each series' SPC state as of a sample, so a restarted collector carries on. */
export const SERIES_STATES = {
  name: 'series_states',
  columns: {
    target: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    state: { type: 'jsonb', nullable: false },
    as_of: { type: 'timestamp with time zone', nullable: false },
    updated_at: { type: 'timestamp with time zone', nullable: false },
  },
} as const satisfies TableSpec;

/** Model residency changes seen in Ollama's /api/ps (annotations for the panel). */
export const MODEL_EVENTS_TABLE = {
  name: 'model_events',
  columns: {
    id: { type: 'bigint', nullable: false },
    ts: { type: 'timestamp with time zone', nullable: false },
    target: { type: 'text', nullable: false },
    model: { type: 'text', nullable: false },
    event: { type: 'text', nullable: false, values: MODEL_EVENTS },
    size_bytes: { type: 'bigint', nullable: true },
    size_vram_bytes: { type: 'bigint', nullable: true },
    gpu_fraction: { type: 'double precision', nullable: true },
    context_length: { type: 'integer', nullable: true },
    expires_at: { type: 'timestamp with time zone', nullable: true },
    detail: { type: 'text', nullable: true },
  },
} as const satisfies TableSpec;

export type BaselineRecord<Time = Date> = RowOf<typeof BASELINES, Time>;
export type ModelEventRecord<Time = Date> = RowOf<typeof MODEL_EVENTS_TABLE, Time>;
