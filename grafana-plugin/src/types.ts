import type { CsvSource } from '@llmscope/contract';
import type { RuleId, Severity } from '@llmscope/spc';

/** Column names of the samples query; defaults match the `samples` table. */
export interface SampleFieldNames {
  time: string;
  latency: string;
  status: string;
  center: string;
  ucl: string;
  lcl: string;
  sigma: string;
  id: string;
  model: string;
  error: string;
  coldStart: string;
  ttft: string;
  totalDuration: string;
  loadDuration: string;
  promptEvalCount: string;
  promptEvalDuration: string;
  evalCount: string;
  evalDuration: string;
  tokensPerSecond: string;
  cpu: string;
  memory: string;
  gpu: string;
  gpuMemory: string;
}

/** Column names of the violations query; defaults match the `violations` table. */
export interface ViolationFieldNames {
  id: string;
  time: string;
  rule: string;
  severity: string;
  latency: string;
  deviation: string;
  sampleId: string;
  note: string;
}

export type ViolationSource = 'auto' | 'query' | 'annotations';

/** `auto`: logarithmic when the limits are log-transformed (asymmetric), else linear. */
export type LatencyAxis = 'auto' | 'linear' | 'log';

export interface SpcOptions {
  sampleFields: SampleFieldNames;
  violationFields: ViolationFieldNames;
  violationSource: ViolationSource;
  showZones: boolean;
  latencyAxis: LatencyAxis;
  showSummary: boolean;
  showRulesLegend: boolean;
  showViolationList: boolean;
  visibleRules: RuleId[];
  notifyNewViolations: boolean;
}

/** One probe, as the chart and the drawer need it. Missing telemetry is null, never 0. */
export interface Sample {
  index: number;
  id: number | null;
  time: number;
  latencyMs: number | null;
  status: string;
  model: string | null;
  /** The server's or client's error text for a failed probe. */
  error: string | null;
  coldStart: boolean | null;
  center: number | null;
  ucl: number | null;
  lcl: number | null;
  sigma: number | null;
  ttftMs: number | null;
  totalDurationMs: number | null;
  loadDurationMs: number | null;
  promptEvalCount: number | null;
  promptEvalDurationMs: number | null;
  evalCount: number | null;
  evalDurationMs: number | null;
  tokensPerSecond: number | null;
  cpuPercent: number | null;
  memoryPercent: number | null;
  gpuPercent: number | null;
  gpuMemoryPercent: number | null;
}

/** One stored violation row (or annotation), tied to the sample it flagged where one matches. */
export interface Violation {
  key: string;
  time: number;
  rule: RuleId;
  severity: Severity;
  latencyMs: number | null;
  deviationSigma: number | null;
  sampleIndex: number | null;
  text: string | null;
  /** The violation's columns as the CSV export writes them; null where the query lacks one. */
  cells: ViolationCells;
}

export type ViolationCells = CsvSource['violation'];

/** A flagged point: every violation that landed on one sample. */
export interface FlaggedPoint {
  sampleIndex: number;
  violations: Violation[];
  /** The most severe of the point's violations decides the marker colour. */
  severity: Severity;
  /** Inside a paging alert episode (data/alerts.ts): the chart rings it. */
  alerted?: boolean;
}
