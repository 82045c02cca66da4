import {
  type DataFrame,
  EventBusSrv,
  FieldType,
  LoadingState,
  type PanelProps,
  createDataFrame,
  dateTime,
} from '@grafana/data';
import type { SampleRecord } from '@llmscope/contract';
import { DEFAULT_OPTIONS } from '../defaultOptions';
import { createSampleTable, type SampleTable } from '../data/sampleTable';
import type { Sample, SpcOptions } from '../types';

/** Frames shaped like the Postgres datasource returns for the samples and violations queries. */
export const START = Date.UTC(2026, 10, 27, 12, 0, 0);
export const STEP_MS = 30_000;
export const CENTER = 800;
/** σ of ln(latency): the collector's default log transform gives asymmetric ms limits. */
export const LOG_SIGMA = 0.08;
export const UCL = CENTER * Math.exp(3 * LOG_SIGMA);
export const LCL = CENTER * Math.exp(-3 * LOG_SIGMA);
export const SPIKE_INDEX = 60;

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A samples row as the dashboard's query returns it (`ts AS "time"`, epoch ms); columns and types from @llmscope/contract. */
export type SampleRow = { time: number } & {
  [
    K in
      | 'id'
      | 'latency_ms'
      | 'status'
      | 'model'
      | 'error'
      | 'eval_count'
      | 'eval_duration_ms'
      | 'prompt_eval_count'
      | 'prompt_eval_duration_ms'
      | 'load_duration_ms'
      | 'total_duration_ms'
      | 'ttft_ms'
      | 'cpu_percent'
      | 'memory_percent'
      | 'gpu_percent'
  ]: NonNullable<SampleRecord<number>[K]>;
};

export function sampleRows(count = 120, model = 'llama3.2:1b', error = 'client timeout after 30000 ms'): SampleRow[] {
  const random = prng(42);
  return Array.from({ length: count }, (_, i) => {
    const noise = (random() + random() + random() - 1.5) * 0.09;
    const latency = i === SPIKE_INDEX ? 1450.25 : CENTER * Math.exp(noise);
    const evalMs = latency * 0.7;
    return {
      id: 1000 + i,
      time: START + i * STEP_MS,
      latency_ms: latency,
      status: i === 30 ? 'timeout' : 'ok',
      model,
      error,
      eval_count: 48 + (i % 5),
      eval_duration_ms: evalMs,
      prompt_eval_count: 26,
      prompt_eval_duration_ms: 41.5 + (i % 3),
      load_duration_ms: i === SPIKE_INDEX ? 512.0625 : 0,
      total_duration_ms: latency - 3.5,
      ttft_ms: 120 + (i % 7),
      cpu_percent: 20 + (i % 10),
      memory_percent: 55,
      gpu_percent: 70 + (i % 4),
    };
  });
}

export function samplesFrame(rows: SampleRow[] = sampleRows()): DataFrame {
  const col = <K extends keyof SampleRow>(k: K) => rows.map((r) => r[k]);
  return createDataFrame({
    refId: 'samples',
    fields: [
      { name: 'time', type: FieldType.time, values: col('time') },
      { name: 'id', type: FieldType.number, values: col('id') },
      { name: 'latency_ms', type: FieldType.number, values: col('latency_ms') },
      { name: 'status', type: FieldType.string, values: col('status') },
      { name: 'model', type: FieldType.string, values: col('model') },
      { name: 'error', type: FieldType.string, values: rows.map((r) => (r.status === 'ok' ? null : r.error)) },
      { name: 'cold_start', type: FieldType.boolean, values: rows.map((r) => r.load_duration_ms > 0) },
      { name: 'spc_center', type: FieldType.number, values: rows.map(() => CENTER) },
      { name: 'spc_ucl', type: FieldType.number, values: rows.map(() => UCL) },
      { name: 'spc_lcl', type: FieldType.number, values: rows.map(() => LCL) },
      { name: 'spc_sigma', type: FieldType.number, values: rows.map(() => LOG_SIGMA) },
      { name: 'ttft_ms', type: FieldType.number, values: col('ttft_ms') },
      { name: 'total_duration_ms', type: FieldType.number, values: col('total_duration_ms') },
      { name: 'load_duration_ms', type: FieldType.number, values: col('load_duration_ms') },
      { name: 'prompt_eval_count', type: FieldType.number, values: col('prompt_eval_count') },
      { name: 'prompt_eval_duration_ms', type: FieldType.number, values: col('prompt_eval_duration_ms') },
      { name: 'eval_count', type: FieldType.number, values: col('eval_count') },
      { name: 'eval_duration_ms', type: FieldType.number, values: col('eval_duration_ms') },
      { name: 'cpu_percent', type: FieldType.number, values: col('cpu_percent') },
      { name: 'memory_percent', type: FieldType.number, values: col('memory_percent') },
      { name: 'gpu_percent', type: FieldType.number, values: col('gpu_percent') },
    ],
  });
}

export interface ViolationRow {
  id: number;
  sampleIndex: number;
  rule: string;
  severity: string;
  deviation_sigma: number;
}

export const VIOLATION_ROWS: ViolationRow[] = [
  { id: 1, sampleIndex: SPIKE_INDEX, rule: 'R1', severity: 'critical', deviation_sigma: 7.6 },
  { id: 2, sampleIndex: SPIKE_INDEX, rule: 'R5', severity: 'warning', deviation_sigma: 7.6 },
  { id: 3, sampleIndex: 95, rule: 'R2', severity: 'warning', deviation_sigma: 0.8 },
  { id: 4, sampleIndex: 110, rule: 'R7', severity: 'info', deviation_sigma: 0.2 },
];

export function violationsFrame(
  rows: ViolationRow[] = VIOLATION_ROWS,
  samples = sampleRows(),
  timeName = 'time'
): DataFrame {
  return createDataFrame({
    refId: 'violations',
    fields: [
      { name: 'id', type: FieldType.number, values: rows.map((r) => r.id) },
      { name: timeName, type: FieldType.time, values: rows.map((r) => samples[r.sampleIndex].time) },
      { name: 'rule', type: FieldType.string, values: rows.map((r) => r.rule) },
      { name: 'severity', type: FieldType.string, values: rows.map((r) => r.severity) },
      { name: 'latency_ms', type: FieldType.number, values: rows.map((r) => samples[r.sampleIndex].latency_ms) },
      { name: 'deviation_sigma', type: FieldType.number, values: rows.map((r) => r.deviation_sigma) },
      { name: 'sample_id', type: FieldType.number, values: rows.map((r) => samples[r.sampleIndex].id) },
    ],
  });
}

export function defaultOptions(): SpcOptions {
  // A deep copy, so a test that mutates options cannot leak into the next (jsdom has no structuredClone).
  return JSON.parse(JSON.stringify(DEFAULT_OPTIONS)) as SpcOptions;
}

export function panelProps(
  series: DataFrame[],
  overrides: {
    options?: Partial<SpcOptions>;
    annotations?: DataFrame[];
    onChangeTimeRange?: PanelProps['onChangeTimeRange'];
  } = {}
): PanelProps<SpcOptions> {
  const from = dateTime(START - STEP_MS);
  const to = dateTime(START + 121 * STEP_MS);
  const timeRange = { from, to, raw: { from, to } };
  return {
    id: 1,
    data: { state: LoadingState.Done, series, annotations: overrides.annotations, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...defaultOptions(), ...overrides.options },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 1000,
    height: 500,
    renderCounter: 0,
    title: 'LLMscope SPC',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    replaceVariables: (s: string) => s,
    onChangeTimeRange: overrides.onChangeTimeRange ?? (() => undefined),
  };
}

/** A SampleTable over Sample objects, as readSamples would build it from a frame of these rows. */
export function tableOf(samples: readonly Sample[]): SampleTable {
  const column = (read: (s: Sample) => number | null) => Float64Array.from(samples, (s) => read(s) ?? NaN);
  return createSampleTable(
    {
      length: samples.length,
      time: column((s) => s.time),
      id: column((s) => s.id),
      latency: column((s) => s.latencyMs),
      ok: Uint8Array.from(samples, (s) => (s.status === 'ok' ? 1 : 0)),
      center: column((s) => s.center),
      ucl: column((s) => s.ucl),
      lcl: column((s) => s.lcl),
    },
    (index) => samples[index],
    () => ({
      tokensPerSecond: column((s) => s.tokensPerSecond),
      evalCount: column((s) => s.evalCount),
      evalDuration: column((s) => s.evalDurationMs),
    })
  );
}

/** Every sample of a table, in order (tests compare whole series). */
export function samplesOf(table: SampleTable): Sample[] {
  return Array.from({ length: table.length }, (_, i) => table.at(i));
}
