// The violations CSV: one definition for the API's export and the panel's. The violation
// record's 13 columns (docs/architecture.md, story 2.1) come first, in its order and with its names; the rest of the episode and the
// telemetry of the sample it flagged follow. `tokens` and `duration_ms` are the answer's
// eval_count and eval_duration_ms (generation only, as the violations table stores them), not
// the request's total duration: total_duration_ms has its own column. docs/api.md lists them.
import type { SqlType } from './columns.js';
import { SAMPLES, type SampleColumn, type SampleRecord } from './samples.js';
import { VIOLATIONS, type ViolationColumn, type ViolationRecord } from './violations.js';

type CsvColumn =
  | { readonly header: string; readonly from: 'violation'; readonly column: ViolationColumn }
  | { readonly header: string; readonly from: 'sample'; readonly column: SampleColumn };

export const CSV_COLUMNS = [
  { header: 'timestamp', from: 'violation', column: 'timestamp' },
  { header: 'model', from: 'violation', column: 'model' },
  { header: 'rule', from: 'violation', column: 'rule' },
  { header: 'latency_ms', from: 'violation', column: 'latency_ms' },
  { header: 'deviation_sigma', from: 'violation', column: 'deviation_sigma' },
  { header: 'mean', from: 'violation', column: 'mean' },
  { header: 'std_dev', from: 'violation', column: 'std_dev' },
  { header: 'ucl', from: 'violation', column: 'ucl' },
  { header: 'lcl', from: 'violation', column: 'lcl' },
  { header: 'cpu%', from: 'violation', column: 'cpu_percent' },
  { header: 'gpu%', from: 'violation', column: 'gpu_percent' },
  { header: 'tokens', from: 'violation', column: 'eval_count' },
  { header: 'duration_ms', from: 'violation', column: 'eval_duration_ms' },
  { header: 'id', from: 'violation', column: 'id' },
  { header: 'target', from: 'violation', column: 'target' },
  { header: 'provider', from: 'violation', column: 'provider' },
  { header: 'probe', from: 'violation', column: 'probe' },
  { header: 'severity', from: 'violation', column: 'severity' },
  { header: 'points', from: 'violation', column: 'points' },
  { header: 'last_seen_at', from: 'violation', column: 'last_seen_at' },
  { header: 'acknowledged_at', from: 'violation', column: 'acknowledged_at' },
  { header: 'note', from: 'violation', column: 'note' },
  { header: 'status', from: 'sample', column: 'status' },
  { header: 'cold_start', from: 'sample', column: 'cold_start' },
  { header: 'ttft_ms', from: 'sample', column: 'ttft_ms' },
  { header: 'total_duration_ms', from: 'sample', column: 'total_duration_ms' },
  { header: 'load_duration_ms', from: 'sample', column: 'load_duration_ms' },
  { header: 'prompt_eval_count', from: 'sample', column: 'prompt_eval_count' },
  { header: 'prompt_eval_duration_ms', from: 'sample', column: 'prompt_eval_duration_ms' },
  { header: 'tokens_per_second', from: 'sample', column: 'tokens_per_second' },
  { header: 'memory%', from: 'violation', column: 'memory_percent' },
  { header: 'gpu_memory%', from: 'sample', column: 'gpu_memory_percent' },
  { header: 'prompt_hash', from: 'violation', column: 'prompt_hash' },
  { header: 'sample_id', from: 'violation', column: 'sample_id' },
  { header: 'created_at', from: 'violation', column: 'created_at' },
] as const satisfies readonly CsvColumn[];

type Columns = (typeof CSV_COLUMNS)[number];
/** The violation columns the CSV reads. */
export type CsvViolationColumn = Extract<Columns, { from: 'violation' }>['column'];
/** The sample columns the CSV reads (the flagged sample's telemetry). */
export type CsvSampleColumn = Extract<Columns, { from: 'sample' }>['column'];

/**
 * What one CSV record is made of; timestamps as Date or epoch milliseconds. A cell may be null:
 * the row was joined to a sample that is gone, or the panel's query lacks the column.
 */
export interface CsvSource {
  violation: { [K in CsvViolationColumn]: ViolationRecord<Date | number>[K] | null };
  sample: { [K in CsvSampleColumn]: SampleRecord<Date | number>[K] | null } | null;
}

export const CSV_HEADER: readonly string[] = CSV_COLUMNS.map((c) => c.header);
export const CSV_VIOLATION_COLUMNS: readonly CsvViolationColumn[] = CSV_COLUMNS.flatMap((c) => (c.from === 'violation' ? [c.column] : []));
export const CSV_SAMPLE_COLUMNS: readonly CsvSampleColumn[] = CSV_COLUMNS.flatMap((c) => (c.from === 'sample' ? [c.column] : []));
export const CSV_LINE_END = '\r\n';

function typeOf(c: Columns): SqlType {
  return c.from === 'violation' ? VIOLATIONS.columns[c.column].type : SAMPLES.columns[c.column].type;
}

const IS_TIME: readonly boolean[] = CSV_COLUMNS.map((c) => typeOf(c) === 'timestamp with time zone');
const IS_NUMBER: readonly boolean[] = CSV_COLUMNS.map((c) => ['bigint', 'integer', 'double precision'].includes(typeOf(c)));

/** The record's cells, unquoted: timestamps as ISO 8601 UTC, booleans as true/false, null as empty. */
export function csvValues(source: CsvSource): string[] {
  return CSV_COLUMNS.map((c, i) => {
    const value: unknown = c.from === 'violation' ? source.violation[c.column] : source.sample?.[c.column];
    if (value === null || value === undefined) return '';
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'number' && IS_TIME[i]) return new Date(value).toISOString();
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
    return String(value);
  });
}

/** A formula character (OWASP's list), possibly after spaces or quotes a spreadsheet drops. */
const FORMULA_START = /^[ "]*[=+\-@\t\r]/;

/**
 * Text a spreadsheet would run as a formula, made inert: a quote (') goes before the cell when it
 * starts with =, +, -, @, tab or CR, and after every `;` followed by one, since a spreadsheet
 * that splits on `;` starts a field there. docs/api.md says why.
 */
export function defuseFormula(value: string): string {
  return value
    .split(';')
    .map((segment) => (FORMULA_START.test(segment) ? `'${segment}` : segment))
    .join(';');
}

/**
 * One RFC 4180 field. Text is defused (defuseFormula) and, when that changed it, quoted as
 * OWASP advises; numbers are left alone, so a negative deviation stays a number.
 */
export function csvField(value: string, isNumber = false): string {
  const guarded = isNumber ? value : defuseFormula(value);
  return guarded !== value || /[",;\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** The header line, line end included. */
export function csvHeaderLine(): string {
  return CSV_HEADER.map((h) => csvField(h)).join(',') + CSV_LINE_END;
}

/** One record's line, line end included. */
export function csvLine(source: CsvSource): string {
  return (
    csvValues(source)
      .map((v, i) => csvField(v, IS_NUMBER[i]))
      .join(',') + CSV_LINE_END
  );
}
