import type { SampleColumn, ViolationColumn } from '@llmscope/contract';
import type { SampleFieldNames, ViolationFieldNames } from '../types';

/**
 * Grafana's SQL datasources need the time column named `time`; the dashboard's queries select
 * `ts AS "time"` and `"timestamp" AS "time"`. Every other default is a column of the
 * @llmscope/contract tables, so renaming a column there fails to compile here.
 */
type TimeAlias = 'time';

/** Column names of the collector's `samples` table. */
export const DEFAULT_SAMPLE_FIELDS = {
  time: 'time',
  latency: 'latency_ms',
  status: 'status',
  center: 'spc_center',
  ucl: 'spc_ucl',
  lcl: 'spc_lcl',
  sigma: 'spc_sigma',
  id: 'id',
  model: 'model',
  error: 'error',
  coldStart: 'cold_start',
  ttft: 'ttft_ms',
  totalDuration: 'total_duration_ms',
  loadDuration: 'load_duration_ms',
  promptEvalCount: 'prompt_eval_count',
  promptEvalDuration: 'prompt_eval_duration_ms',
  evalCount: 'eval_count',
  evalDuration: 'eval_duration_ms',
  tokensPerSecond: 'tokens_per_second',
  cpu: 'cpu_percent',
  memory: 'memory_percent',
  gpu: 'gpu_percent',
  gpuMemory: 'gpu_memory_percent',
} as const satisfies Record<keyof SampleFieldNames, SampleColumn | TimeAlias>;

/** Column names of the collector's `violations` table. */
export const DEFAULT_VIOLATION_FIELDS = {
  id: 'id',
  time: 'time',
  rule: 'rule',
  severity: 'severity',
  latency: 'latency_ms',
  deviation: 'deviation_sigma',
  sampleId: 'sample_id',
  note: 'note',
} as const satisfies Record<keyof ViolationFieldNames, ViolationColumn | TimeAlias>;

/** The violations table calls the violation time `timestamp`; accept it when `time` is absent. */
export const VIOLATION_TIME_FALLBACK = 'timestamp' satisfies ViolationColumn;
