// Read and mutation SQL behind the violations API. Every value travels as a bind parameter;
// the only SQL text built at run time is the list of WHERE clauses chosen from fixed strings.
import type pg from 'pg';
import {
  columnNames,
  selectList,
  CSV_SAMPLE_COLUMNS,
  SAMPLES,
  VIOLATIONS,
  type CsvSampleColumn,
  type SampleRecord,
  type ViolationRecord,
} from '@llmscope/contract';
import type { RuleId, Severity } from '@llmscope/spc';

export interface ViolationFilter {
  rules?: RuleId[];
  severities?: Severity[];
  target?: string;
  model?: string;
  probe?: string;
  /** Inclusive lower bound on the episode's first point. */
  from?: Date;
  /** Inclusive upper bound on the episode's first point. */
  to?: Date;
  acknowledged?: boolean;
}

/** Where a newest-first page stopped: the last row's timestamp in microseconds and id. */
export interface ViolationKey {
  micros: string;
  id: number;
}

/** A `violations` row as node-postgres returns it (columns and types from @llmscope/contract). */
export type ViolationRow = ViolationRecord;

/** The sample columns an export or report adds to each violation; null when the sample is gone. */
export type SampleTelemetry = { [K in CsvSampleColumn]: SampleRecord[K] | null };

export type ViolationWithTelemetry = ViolationRow & SampleTelemetry;

const VIOLATION_COLUMNS = selectList(VIOLATIONS, columnNames(VIOLATIONS), 'v');

const TELEMETRY_COLUMNS = selectList(SAMPLES, CSV_SAMPLE_COLUMNS, 's');

/** Microseconds since the epoch, exact (a Date would round to milliseconds). */
const KEY_MICROS = `(extract(epoch FROM v."timestamp") * 1000000)::bigint::text AS key_micros`;

function whereClause(filter: ViolationFilter, params: unknown[]): string[] {
  const clauses: string[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.rules) clauses.push(`v.rule = ANY(${bind(filter.rules)}::text[])`);
  if (filter.severities) clauses.push(`v.severity = ANY(${bind(filter.severities)}::text[])`);
  if (filter.target !== undefined) clauses.push(`v.target = ${bind(filter.target)}`);
  if (filter.model !== undefined) clauses.push(`v.model = ${bind(filter.model)}`);
  if (filter.probe !== undefined) clauses.push(`v.probe = ${bind(filter.probe)}`);
  if (filter.from) clauses.push(`v."timestamp" >= ${bind(filter.from)}`);
  if (filter.to) clauses.push(`v."timestamp" <= ${bind(filter.to)}`);
  if (filter.acknowledged !== undefined) {
    clauses.push(filter.acknowledged ? 'v.acknowledged_at IS NOT NULL' : 'v.acknowledged_at IS NULL');
  }
  return clauses;
}

function keysetClause(after: ViolationKey | undefined, params: unknown[]): string[] {
  if (!after) return [];
  params.push(after.micros, after.id);
  const n = params.length;
  return [`(v."timestamp", v.id) < (timestamptz 'epoch' + $${n - 1}::bigint * interval '1 microsecond', $${n}::bigint)`];
}

const and = (clauses: string[]): string => (clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '');

export interface ViolationPage<T> {
  rows: T[];
  /** The key to pass as `after` for the next page, or null when this page was the last. */
  next: ViolationKey | null;
}

async function page<T>(
  pool: pg.Pool,
  columns: string,
  join: string,
  filter: ViolationFilter,
  limit: number,
  after?: ViolationKey,
): Promise<ViolationPage<T>> {
  const params: unknown[] = [];
  const where = and([...whereClause(filter, params), ...keysetClause(after, params)]);
  params.push(limit + 1);
  const { rows } = await pool.query<T & { key_micros: string }>(
    `SELECT ${columns}, ${KEY_MICROS} FROM violations v ${join} ${where}
     ORDER BY v."timestamp" DESC, v.id DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1] as (T & { key_micros: string; id: number }) | undefined;
  const next = more && last ? { micros: last.key_micros, id: last.id } : null;
  for (const row of kept) delete (row as Partial<{ key_micros: string }>).key_micros;
  return { rows: kept, next };
}

/** Newest first; `(timestamp, id)` keyset pagination, so no row repeats or goes missing between pages. */
export function listViolations(
  pool: pg.Pool,
  filter: ViolationFilter,
  limit: number,
  after?: ViolationKey,
): Promise<ViolationPage<ViolationRow>> {
  return page<ViolationRow>(pool, VIOLATION_COLUMNS, '', filter, limit, after);
}

/** An episode's "timestamp" is its sample's ts: with it the join reads one day partition, not all of them. */
const SAMPLE_JOIN = `LEFT JOIN samples s ON s.id = v.sample_id AND s.ts = v."timestamp"`;

/**
 * As listViolations, each row with its sample's telemetry (null where retention removed the
 * sample): the built-in viewer's drawer shows a violation's Ollama timings from these.
 */
export function listViolationsWithTelemetry(
  pool: pg.Pool,
  filter: ViolationFilter,
  limit: number,
  after?: ViolationKey,
): Promise<ViolationPage<ViolationWithTelemetry>> {
  return page<ViolationWithTelemetry>(pool, `${VIOLATION_COLUMNS}, ${TELEMETRY_COLUMNS}`, SAMPLE_JOIN, filter, limit, after);
}

/**
 * Every matching violation with its sample's telemetry, newest first, fetched in keyset pages
 * so an export of a million rows holds one page in memory at a time.
 */
export async function* iterateViolationsWithTelemetry(
  pool: pg.Pool,
  filter: ViolationFilter,
  pageSize = 1000,
): AsyncGenerator<ViolationWithTelemetry> {
  let after: ViolationKey | undefined;
  for (;;) {
    const result = await listViolationsWithTelemetry(pool, filter, pageSize, after);
    yield* result.rows;
    if (!result.next) return;
    after = result.next;
  }
}

export async function getViolation(pool: pg.Pool, id: number): Promise<ViolationRow | null> {
  const { rows } = await pool.query<ViolationRow>(`SELECT ${VIOLATION_COLUMNS} FROM violations v WHERE v.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Marks a violation acknowledged (keeping the first acknowledgement time) and stores the note if one is given. */
export async function acknowledgeViolation(pool: pg.Pool, id: number, note: string | undefined): Promise<ViolationRow | null> {
  const { rows } = await pool.query<ViolationRow>(
    `UPDATE violations v SET acknowledged_at = coalesce(v.acknowledged_at, now()), note = coalesce($2, v.note)
     WHERE v.id = $1 RETURNING ${VIOLATION_COLUMNS}`,
    [id, note ?? null],
  );
  return rows[0] ?? null;
}

export async function deleteViolations(pool: pg.Pool, filter: ViolationFilter): Promise<number> {
  const params: unknown[] = [];
  const result = await pool.query(`DELETE FROM violations v ${and(whereClause(filter, params))}`, params);
  return result.rowCount ?? 0;
}

export interface ViolationCounts {
  total: number;
  bySeverity: Record<string, number>;
  byRule: Record<string, number>;
}

export async function countViolations(pool: pg.Pool, filter: ViolationFilter): Promise<ViolationCounts> {
  const params: unknown[] = [];
  const { rows } = await pool.query<{ severity: string; rule: string; n: number }>(
    `SELECT v.severity, v.rule, count(*)::float8 AS n FROM violations v ${and(whereClause(filter, params))}
     GROUP BY v.severity, v.rule`,
    params,
  );
  const counts: ViolationCounts = { total: 0, bySeverity: {}, byRule: {} };
  for (const row of rows) {
    counts.total += row.n;
    counts.bySeverity[row.severity] = (counts.bySeverity[row.severity] ?? 0) + row.n;
    counts.byRule[row.rule] = (counts.byRule[row.rule] ?? 0) + row.n;
  }
  return counts;
}
