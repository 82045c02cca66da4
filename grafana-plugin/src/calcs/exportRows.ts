import type { CsvSource } from '@llmscope/contract';
import type { SampleTable } from '../data/sampleTable';
import type { Sample, Violation, ViolationCells } from '../types';

/** One exported violation with the telemetry of the sample it flagged, as @llmscope/contract's CSV reads it. */
export type ExportRow = CsvSource;

/**
 * Where the violations query lacks a column (or violations come from annotations), the flagged
 * sample holds the same value: the collector copies these from the sample into the violation row.
 */
const FROM_SAMPLE: { [K in keyof ViolationCells]?: (s: Sample) => ViolationCells[K] } = {
  model: (s) => s.model,
  latency_ms: (s) => s.latencyMs,
  mean: (s) => s.center,
  std_dev: (s) => s.sigma,
  ucl: (s) => s.ucl,
  lcl: (s) => s.lcl,
  cpu_percent: (s) => s.cpuPercent,
  gpu_percent: (s) => s.gpuPercent,
  memory_percent: (s) => s.memoryPercent,
  eval_count: (s) => s.evalCount,
  eval_duration_ms: (s) => s.evalDurationMs,
  sample_id: (s) => s.id,
};

function violationCells(v: Violation, s: Sample | undefined): ViolationCells {
  if (!s) {
    return v.cells;
  }
  const cells: Record<string, unknown> = { ...v.cells };
  for (const [column, read] of Object.entries(FROM_SAMPLE)) {
    if (cells[column] === null) {
      cells[column] = (read as (s: Sample) => unknown)(s);
    }
  }
  return cells as ViolationCells;
}

function sampleCells(s: Sample): NonNullable<CsvSource['sample']> {
  return {
    // As the samples query returned it: the collector's CHECK constraint keeps it to the contract's values.
    status: s.status as NonNullable<CsvSource['sample']>['status'],
    cold_start: s.coldStart,
    ttft_ms: s.ttftMs,
    total_duration_ms: s.totalDurationMs,
    load_duration_ms: s.loadDurationMs,
    prompt_eval_count: s.promptEvalCount,
    prompt_eval_duration_ms: s.promptEvalDurationMs,
    tokens_per_second: s.tokensPerSecond,
    gpu_memory_percent: s.gpuMemoryPercent,
  };
}

/** Oldest first (ties by rule), each violation joined with its sample's telemetry. */
export function toExportRows(violations: readonly Violation[], table: SampleTable): ExportRow[] {
  return [...violations]
    .sort((a, b) => a.time - b.time || a.rule.localeCompare(b.rule))
    .map((v) => {
      const s = v.sampleIndex === null ? undefined : table.at(v.sampleIndex);
      return { violation: violationCells(v, s), sample: s ? sampleCells(s) : null };
    });
}
