import type { ExportRow } from './exportRows';

/** The roadmap's column order first (DESIGN.md "CSV export columns"), then the rest. */
const COLUMNS: ReadonlyArray<[header: string, value: (r: ExportRow) => string | number | null]> = [
  ['timestamp', (r) => r.timestamp],
  ['model', (r) => r.model],
  ['rule', (r) => r.rule],
  ['latency_ms', (r) => r.latencyMs],
  ['deviation_sigma', (r) => r.deviationSigma],
  ['mean', (r) => r.mean],
  ['std_dev', (r) => r.stdDev],
  ['ucl', (r) => r.ucl],
  ['lcl', (r) => r.lcl],
  ['cpu%', (r) => r.cpuPercent],
  ['gpu%', (r) => r.gpuPercent],
  ['tokens', (r) => r.tokens],
  ['duration_ms', (r) => r.durationMs],
  ['severity', (r) => r.severity],
  ['memory%', (r) => r.memoryPercent],
  ['prompt_tokens', (r) => r.promptTokens],
  ['load_duration_ms', (r) => r.loadDurationMs],
  ['prompt_eval_duration_ms', (r) => r.promptEvalDurationMs],
  ['eval_duration_ms', (r) => r.evalDurationMs],
  ['ttft_ms', (r) => r.ttftMs],
  ['tokens_per_second', (r) => r.tokensPerSecond],
  ['status', (r) => r.status],
  ['sample_id', (r) => r.sampleId],
];

export const CSV_HEADER = COLUMNS.map(([h]) => h).join(',');

/** RFC 4180 CSV; text cells that a spreadsheet would run as a formula are prefixed with '. */
export function toCsv(rows: readonly ExportRow[]): string {
  const lines = rows.map((row) => COLUMNS.map(([, value]) => csvCell(value(row))).join(','));
  return [CSV_HEADER, ...lines].join('\r\n') + '\r\n';
}

export function csvCell(value: string | number | null): string {
  if (value === null) {
    return '';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
