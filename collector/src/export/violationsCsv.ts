import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ViolationWithTelemetry } from '../store/violationQueries.js';

/**
 * The roadmap's columns first, in its order and with its names, then the rest of the
 * episode and the sample's telemetry. Each entry is [header, how to read it from a row].
 */
const COLUMNS: readonly (readonly [string, (v: ViolationWithTelemetry) => unknown])[] = [
  ['timestamp', (v) => v.timestamp],
  ['model', (v) => v.model],
  ['rule', (v) => v.rule],
  ['latency_ms', (v) => v.latency_ms],
  ['deviation_sigma', (v) => v.deviation_sigma],
  ['mean', (v) => v.mean],
  ['std_dev', (v) => v.std_dev],
  ['ucl', (v) => v.ucl],
  ['lcl', (v) => v.lcl],
  ['cpu%', (v) => v.cpu_percent],
  ['gpu%', (v) => v.gpu_percent],
  ['tokens', (v) => v.eval_count],
  ['duration_ms', (v) => v.eval_duration_ms],
  ['id', (v) => v.id],
  ['target', (v) => v.target],
  ['provider', (v) => v.provider],
  ['probe', (v) => v.probe],
  ['severity', (v) => v.severity],
  ['points', (v) => v.points],
  ['last_seen_at', (v) => v.last_seen_at],
  ['acknowledged_at', (v) => v.acknowledged_at],
  ['note', (v) => v.note],
  ['status', (v) => v.status],
  ['cold_start', (v) => v.cold_start],
  ['ttft_ms', (v) => v.ttft_ms],
  ['total_duration_ms', (v) => v.total_duration_ms],
  ['load_duration_ms', (v) => v.load_duration_ms],
  ['prompt_eval_count', (v) => v.prompt_eval_count],
  ['prompt_eval_duration_ms', (v) => v.prompt_eval_duration_ms],
  ['tokens_per_second', (v) => v.tokens_per_second],
  ['memory%', (v) => v.memory_percent],
  ['gpu_memory%', (v) => v.gpu_memory_percent],
  ['prompt_hash', (v) => v.prompt_hash],
  ['sample_id', (v) => v.sample_id],
  ['created_at', (v) => v.created_at],
];

export const CSV_HEADER: readonly string[] = COLUMNS.map(([name]) => name);

async function* records(rows: AsyncIterable<ViolationWithTelemetry>): AsyncGenerator<unknown[]> {
  for await (const row of rows) yield COLUMNS.map(([, read]) => read(row) ?? null);
}

/**
 * A CSV byte stream over `rows`; it pulls the next row only when the consumer has room, so
 * the whole export never sits in memory. Cells that a spreadsheet would run as a formula
 * (=, +, -, @ at the start of text) are prefixed with a quote.
 */
export function violationsCsv(rows: AsyncIterable<ViolationWithTelemetry>): Readable {
  const csv = stringify({
    header: true,
    columns: [...CSV_HEADER],
    escape_formulas: true,
    cast: {
      date: (d) => d.toISOString(),
      boolean: (b) => (b ? 'true' : 'false'),
    },
  });
  const source = Readable.from(records(rows));
  source.on('error', (err) => csv.destroy(err));
  return source.pipe(csv);
}
