// Makes a sample (and the violation rows copied from it) fit its columns before it reaches the
// write query (docs/reliability.md, "Hostile model servers"). A value a model server sent that
// the column cannot hold (a count of 1e308 or 1.5, a negative or infinite duration) is stored
// as null with a note in `error`; NUL and other control characters leave text. One bad value
// then costs its own field, never the batch or the series.
import type { RecordedSample, StoreGroup, StoreItem, ViolationOpen } from './rows.js';

const INT4_MAX = 2_147_483_647;
/** Durations beyond a year (in ms) are not a model server's timing but garbage. */
const MAX_DURATION_MS = 365 * 86_400_000;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

type Check = (value: number) => boolean;
const count: Check = (v) => Number.isInteger(v) && v >= 0 && v <= INT4_MAX;
const duration: Check = (v) => Number.isFinite(v) && v >= 0 && v <= MAX_DURATION_MS;
const rate: Check = (v) => Number.isFinite(v) && v >= 0;
const percent: Check = (v) => Number.isFinite(v) && v >= 0 && v <= 100;

const SAMPLE_FIELDS: ReadonlyArray<[keyof RecordedSample, string, Check]> = [
  ['ttftMs', 'ttft_ms', duration],
  ['totalDurationMs', 'total_duration_ms', duration],
  ['loadDurationMs', 'load_duration_ms', duration],
  ['promptEvalCount', 'prompt_eval_count', count],
  ['promptEvalDurationMs', 'prompt_eval_duration_ms', duration],
  ['evalCount', 'eval_count', count],
  ['evalDurationMs', 'eval_duration_ms', duration],
  ['tokensPerSecond', 'tokens_per_second', rate],
  ['cpuPercent', 'cpu_percent', percent],
  ['memoryPercent', 'memory_percent', percent],
  ['gpuPercent', 'gpu_percent', percent],
  ['gpuMemoryPercent', 'gpu_memory_percent', percent],
];

/** Text without the characters Postgres refuses (NUL) or a log or table would misrender. */
export function cleanText(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** The sample with every out-of-range value null and noted; the same object when nothing was wrong. */
export function sanitizeSample(sample: RecordedSample): RecordedSample {
  let clean: RecordedSample | null = null;
  const notes: string[] = [];
  for (const [field, column, ok] of SAMPLE_FIELDS) {
    const value = sample[field];
    if (value === null || (typeof value === 'number' && ok(value))) continue;
    clean ??= { ...sample };
    (clean as unknown as Record<string, unknown>)[field] = null;
    notes.push(`${column} ${String(value).slice(0, 30)} is out of range`);
  }
  if (!Number.isFinite(sample.latencyMs) || sample.latencyMs < 0) {
    clean ??= { ...sample };
    clean.latencyMs = 0;
    clean.status = 'error';
    notes.push(`latency ${String(sample.latencyMs)} is not a duration`);
  }
  const error = sample.error === null ? null : cleanText(sample.error);
  const model = cleanText(sample.model);
  if (error !== sample.error || model !== sample.model) {
    clean ??= { ...sample };
    clean.error = error;
    clean.model = model;
  }
  if (!clean) return sample;
  if (notes.length > 0) {
    const note = `stored as null: ${notes.join('; ')}`;
    clean.error = clean.error ? `${clean.error}; ${note}` : note;
  }
  return clean;
}

function sanitizeViolation(row: ViolationOpen): ViolationOpen {
  const evalCount = row.evalCount === null || count(row.evalCount) ? row.evalCount : null;
  const evalDurationMs = row.evalDurationMs === null || duration(row.evalDurationMs) ? row.evalDurationMs : null;
  const model = cleanText(row.model);
  if (evalCount === row.evalCount && evalDurationMs === row.evalDurationMs && model === row.model) return row;
  return { ...row, evalCount, evalDurationMs, model };
}

function sanitizeItem(item: StoreItem): StoreItem {
  if (item.kind === 'sample') {
    const row = sanitizeSample(item.row);
    return row === item.row ? item : { kind: 'sample', row };
  }
  if (item.kind === 'violation-open') {
    const row = sanitizeViolation(item.row);
    return row === item.row ? item : { kind: 'violation-open', row };
  }
  return item;
}

/** Every item of the groups fit for its columns (groups from a spill file of an older run included). */
export function sanitizeGroups(groups: readonly StoreGroup[]): StoreGroup[] {
  return groups.map((group) => group.map(sanitizeItem));
}
