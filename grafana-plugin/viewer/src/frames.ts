import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';
import type { AlertRow, SeriesKey, SpcPoint, ViolationRow } from './api';

// The viewer hands the panel the same three frames the provisioned dashboard's SQL returns
// (provisioning/dashboards/), under the column names the panel's field options default to,
// so the panel needs no second code path for the viewer.

/**
 * The telemetry columns of the samples frame. /api/stats/spc carries none (it may draw a
 * month from minute rollups); the violations carry their samples' (`telemetry=true`), and the
 * drawer opens on a violation, so the violation points get theirs and every other row is null.
 */
const TELEMETRY_COLUMNS = [
  'ttft_ms',
  'total_duration_ms',
  'load_duration_ms',
  'prompt_eval_count',
  'prompt_eval_duration_ms',
  'eval_count',
  'eval_duration_ms',
  'tokens_per_second',
  'cpu_percent',
  'memory_percent',
  'gpu_percent',
  'gpu_memory_percent',
] as const satisfies ReadonlyArray<keyof ViolationRow>;

function telemetryFields(points: readonly SpcPoint[], violations: readonly ViolationRow[]) {
  const bySample = new Map(violations.map((v) => [v.sample_id, v]));
  const columns = TELEMETRY_COLUMNS.map(() => new Array<number | null>(points.length).fill(null));
  points.forEach((p, i) => {
    const v = bySample.get(p.id);
    if (v) {
      TELEMETRY_COLUMNS.forEach((name, c) => (columns[c][i] = v[name] ?? null));
    }
  });
  return TELEMETRY_COLUMNS.map((name, c) => ({ name, type: FieldType.number, values: columns[c] }));
}

/** The samples frame: one row per probe, with the limits in force for that probe. */
export function samplesFrame(
  series: SeriesKey,
  points: readonly SpcPoint[],
  violations: readonly ViolationRow[] = []
): DataFrame {
  const n = points.length;
  const time = new Array<number>(n);
  const id = new Array<number>(n);
  const latency = new Array<number | null>(n);
  const status = new Array<string>(n);
  const coldStart = new Array<boolean | null>(n);
  const center = new Array<number | null>(n);
  const ucl = new Array<number | null>(n);
  const lcl = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    time[i] = Date.parse(p.ts);
    id[i] = p.id;
    latency[i] = p.latency_ms;
    status[i] = p.status;
    coldStart[i] = p.cold_start;
    center[i] = p.center;
    ucl[i] = p.ucl;
    lcl[i] = p.lcl;
  }
  return createDataFrame({
    refId: 'samples',
    name: `${series.target} · ${series.model} · ${series.probe}`,
    fields: [
      { name: 'time', type: FieldType.time, values: time },
      { name: 'id', type: FieldType.number, values: id },
      { name: 'latency_ms', type: FieldType.number, values: latency },
      { name: 'status', type: FieldType.string, values: status },
      { name: 'model', type: FieldType.string, values: new Array<string>(n).fill(series.model) },
      { name: 'cold_start', type: FieldType.boolean, values: coldStart },
      { name: 'spc_center', type: FieldType.number, values: center },
      { name: 'spc_ucl', type: FieldType.number, values: ucl },
      { name: 'spc_lcl', type: FieldType.number, values: lcl },
      ...telemetryFields(points, violations),
    ],
  });
}

/** The violations frame: one row per stored episode, tied to its sample by sample_id. */
export function violationsFrame(rows: readonly ViolationRow[]): DataFrame {
  return createDataFrame({
    refId: 'violations',
    fields: [
      { name: 'id', type: FieldType.number, values: rows.map((v) => v.id) },
      { name: 'time', type: FieldType.time, values: rows.map((v) => Date.parse(v.timestamp)) },
      { name: 'rule', type: FieldType.string, values: rows.map((v) => v.rule) },
      { name: 'severity', type: FieldType.string, values: rows.map((v) => v.severity) },
      { name: 'latency_ms', type: FieldType.number, values: rows.map((v) => v.latency_ms) },
      { name: 'deviation_sigma', type: FieldType.number, values: rows.map((v) => v.deviation_sigma) },
      { name: 'sample_id', type: FieldType.number, values: rows.map((v) => v.sample_id) },
      { name: 'note', type: FieldType.string, values: rows.map((v) => v.note) },
    ],
  });
}

/** The alerts frame: one row per alert episode, as the dashboard's `alerts` query returns it. */
export function alertsFrame(rows: readonly AlertRow[]): DataFrame {
  return createDataFrame({
    refId: 'alerts',
    fields: [
      { name: 'id', type: FieldType.number, values: rows.map((a) => a.id) },
      { name: 'detector', type: FieldType.string, values: rows.map((a) => a.detector) },
      { name: 'severity', type: FieldType.string, values: rows.map((a) => a.severity) },
      { name: 'effect', type: FieldType.number, values: rows.map((a) => a.effect) },
      { name: 'started_at', type: FieldType.time, values: rows.map((a) => Date.parse(a.started_at)) },
      {
        name: 'ended_at',
        type: FieldType.time,
        values: rows.map((a) => (a.ended_at === null ? null : Date.parse(a.ended_at))),
      },
    ],
  });
}
