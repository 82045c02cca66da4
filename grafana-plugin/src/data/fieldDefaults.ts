import type { SampleFieldNames, ViolationFieldNames } from '../types';

/** Column names of the collector's `samples` table (migrations/). */
export const DEFAULT_SAMPLE_FIELDS: SampleFieldNames = {
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
};

/** Column names of the collector's `violations` table. */
export const DEFAULT_VIOLATION_FIELDS: ViolationFieldNames = {
  id: 'id',
  time: 'time',
  rule: 'rule',
  severity: 'severity',
  latency: 'latency_ms',
  deviation: 'deviation_sigma',
  sampleId: 'sample_id',
  note: 'note',
};

/** The roadmap's table calls the violation time `timestamp`; accept it when `time` is absent. */
export const VIOLATION_TIME_FALLBACK = 'timestamp';
