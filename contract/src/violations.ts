// The `violations` table (migrations/): one row per violation episode. The first columns are
// the violation record (docs/architecture.md, story 2.1), the rest tie the episode to its
// series and sample and track its life (points, last_seen_at, acknowledgement).
import type { RowOf, TableSpec } from './columns.js';
import { SEVERITIES } from './values.js';

export const VIOLATIONS = {
  name: 'violations',
  columns: {
    id: { type: 'bigint', nullable: false },
    timestamp: { type: 'timestamp with time zone', nullable: false },
    model: { type: 'text', nullable: false },
    provider: { type: 'text', nullable: false },
    rule: { type: 'text', nullable: false },
    latency_ms: { type: 'double precision', nullable: false },
    deviation_sigma: { type: 'double precision', nullable: false },
    mean: { type: 'double precision', nullable: false },
    std_dev: { type: 'double precision', nullable: false },
    ucl: { type: 'double precision', nullable: false },
    lcl: { type: 'double precision', nullable: false },
    cpu_percent: { type: 'double precision', nullable: true },
    memory_percent: { type: 'double precision', nullable: true },
    gpu_percent: { type: 'double precision', nullable: true },
    eval_count: { type: 'integer', nullable: true },
    eval_duration_ms: { type: 'double precision', nullable: true },
    prompt_hash: { type: 'text', nullable: false },
    created_at: { type: 'timestamp with time zone', nullable: false },
    sample_id: { type: 'bigint', nullable: false },
    target: { type: 'text', nullable: false },
    probe: { type: 'text', nullable: false },
    severity: { type: 'text', nullable: false, values: SEVERITIES },
    points: { type: 'integer', nullable: false },
    last_seen_at: { type: 'timestamp with time zone', nullable: false },
    acknowledged_at: { type: 'timestamp with time zone', nullable: true },
    note: { type: 'text', nullable: true },
  },
} as const satisfies TableSpec;

export type ViolationColumn = keyof typeof VIOLATIONS.columns;

const violationColumns = Object.keys(VIOLATIONS.columns) as ViolationColumn[];

/** The violation record (story 2.1 in docs/architecture.md): the table's first columns, `id` to `created_at`. */
export const VIOLATION_RECORD_COLUMNS: readonly ViolationColumn[] = violationColumns.slice(0, violationColumns.indexOf('created_at') + 1);
export type ViolationRecord<Time = Date> = RowOf<typeof VIOLATIONS, Time>;
