// The collector's writes: each kind of item as one batched statement over unnest() arrays.
import type pg from 'pg';
import { SAMPLES, VIOLATIONS, type ColumnOf, type ColumnSpec, type TableSpec } from '@llmscope/contract';
import { copyIntoStaging } from './copyRows.js';
import {
  seriesKeyString,
  type AlertOpen,
  type AlertUpdate,
  type BaselineRow,
  type ModelEventRow,
  type RecordedSample,
  type SeriesKey,
  type SeriesStateRow,
  type StoreItem,
  type ViolationExtend,
  type ViolationOpen,
} from './rows.js';

type Column<T> = [name: string, type: string, get: (row: T) => unknown];

const DAY_MS = 86_400_000;

/**
 * UTC days (epoch ms of their midnight) whose day partitions this writer has seen made, so a
 * batch of known days skips llmscope_ensure_partitions (a catalog lookup per day and table,
 * about a tenth of a batch's time: docs/performance.md). Owned by one StoreWriter.
 */
export type KnownPartitions = Set<number>;

/**
 * How each column of a contract table is read off the row the collector made, for every column
 * the collector writes; the columns in `Filled` are the database's (ids, defaults, joins).
 * Keyed by the contract's column names, so a column added to the contract without a value here
 * is a compile error (docs/architecture.md, "Adding a column").
 */
type Writes<T extends TableSpec, Row, Filled extends ColumnOf<T>> = { [K in Exclude<ColumnOf<T>, Filled>]: (row: Row) => unknown };

function columnsOf<T extends TableSpec, Row>(table: T, writes: Record<string, (row: Row) => unknown>): Column<Row>[] {
  return Object.entries(writes).map(([name, get]) => [name, (table.columns[name] as ColumnSpec).type, get]);
}

const SAMPLE_WRITES: Writes<typeof SAMPLES, RecordedSample, 'id' | 'series_id'> = {
  uid: (r) => r.uid,
  ts: (r) => r.ts,
  collector: (r) => r.collector,
  target: (r) => r.target,
  provider: (r) => r.provider,
  model: (r) => r.model,
  probe: (r) => r.probe,
  prompt_hash: (r) => r.promptHash,
  prompt: (r) => r.prompt,
  status: (r) => r.status,
  error: (r) => r.error,
  cold_start: (r) => r.coldStart,
  latency_ms: (r) => r.latencyMs,
  ttft_ms: (r) => r.ttftMs,
  total_duration_ms: (r) => r.totalDurationMs,
  load_duration_ms: (r) => r.loadDurationMs,
  prompt_eval_count: (r) => r.promptEvalCount,
  prompt_eval_duration_ms: (r) => r.promptEvalDurationMs,
  eval_count: (r) => r.evalCount,
  eval_duration_ms: (r) => r.evalDurationMs,
  tokens_per_second: (r) => r.tokensPerSecond,
  cpu_percent: (r) => r.cpuPercent,
  memory_percent: (r) => r.memoryPercent,
  gpu_percent: (r) => r.gpuPercent,
  gpu_memory_percent: (r) => r.gpuMemoryPercent,
  spc_center: (r) => r.spcCenterMs,
  spc_sigma: (r) => r.spcSigmaMs,
  spc_ucl: (r) => r.spcUclMs,
  spc_lcl: (r) => r.spcLclMs,
};
const SAMPLE_COLUMNS = columnsOf(SAMPLES, SAMPLE_WRITES);

/** sample_id is resolved from the sample's uid (first column) when written. */
const VIOLATION_WRITES: Writes<
  typeof VIOLATIONS,
  ViolationOpen,
  'id' | 'created_at' | 'sample_id' | 'points' | 'last_seen_at' | 'acknowledged_at' | 'note'
> = {
  timestamp: (r) => r.timestamp,
  model: (r) => r.model,
  provider: (r) => r.provider,
  rule: (r) => r.rule,
  latency_ms: (r) => r.latencyMs,
  deviation_sigma: (r) => r.deviationSigma,
  mean: (r) => r.meanMs,
  std_dev: (r) => r.stdDevMs,
  ucl: (r) => r.uclMs,
  lcl: (r) => r.lclMs,
  cpu_percent: (r) => r.cpuPercent,
  memory_percent: (r) => r.memoryPercent,
  gpu_percent: (r) => r.gpuPercent,
  eval_count: (r) => r.evalCount,
  eval_duration_ms: (r) => r.evalDurationMs,
  prompt_hash: (r) => r.promptHash,
  target: (r) => r.target,
  probe: (r) => r.probe,
  severity: (r) => r.severity,
};
const VIOLATION_COLUMNS: Column<ViolationOpen>[] = [['sample_uid', 'uuid', (r) => r.sampleUid], ...columnsOf(VIOLATIONS, VIOLATION_WRITES)];

const SERIES_COLUMNS: Column<SeriesKey>[] = [
  ['target', 'text', (r) => r.target],
  ['model', 'text', (r) => r.model],
  ['probe', 'text', (r) => r.probe],
];

const BASELINE_COLUMNS: Column<BaselineRow>[] = [
  ...SERIES_COLUMNS,
  ['transform', 'text', (r) => r.transform],
  ['sigma_method', 'text', (r) => r.sigmaMethod],
  ['center', 'float8', (r) => r.center],
  ['sigma', 'float8', (r) => r.sigma],
  ['n', 'int4', (r) => r.n],
  ['computed_at', 'timestamptz', (r) => r.computedAt],
];

const MODEL_EVENT_COLUMNS: Column<ModelEventRow>[] = [
  ['ts', 'timestamptz', (r) => r.ts],
  ['target', 'text', (r) => r.target],
  ['model', 'text', (r) => r.model],
  ['event', 'text', (r) => r.event],
  ['size_bytes', 'int8', (r) => r.sizeBytes],
  ['size_vram_bytes', 'int8', (r) => r.sizeVramBytes],
  ['gpu_fraction', 'float8', (r) => r.gpuFraction],
  ['context_length', 'int4', (r) => r.contextLength],
  ['expires_at', 'timestamptz', (r) => r.expiresAt],
  ['detail', 'text', (r) => r.detail],
];

function unnest<T>(columns: Column<T>[], rows: readonly T[]): { select: string; names: string; values: unknown[][] } {
  return {
    select: `unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS u(${columns.map(([name]) => `"${name}"`).join(', ')})`,
    names: columns.map(([name]) => `"${name}"`).join(', '),
    values: columns.map(([, , get]) => rows.map(get)),
  };
}

/**
 * Moves the samples stageItems COPYed into the staging table. Samples are day-partitioned
 * (docs/scaling.md): the batch's days get their partitions first. The rows are moved with one
 * INSERT … SELECT joined to the series table (new series made first, set-based). Rows already
 * stored (a retry, a spill replay) are skipped by (uid, ts), and the insert trigger queues for
 * the rollups only the rows this INSERT added.
 */
async function insertSamples(client: pg.ClientBase, rows: readonly RecordedSample[], known?: KnownPartitions): Promise<number[]> {
  let first = rows[0]!.ts;
  let last = first;
  for (const row of rows) {
    if (row.ts < first) first = row.ts;
    if (row.ts > last) last = row.ts;
  }
  const days: number[] = [];
  for (let day = Math.floor(Date.parse(first) / DAY_MS) * DAY_MS; day <= Date.parse(last); day += DAY_MS) days.push(day);
  // Retention (at least a day) never drops a day younger than two: those are safe to remember.
  const safeFrom = Date.now() - 2 * DAY_MS;
  if (!known || days.some((day) => day <= safeFrom || !known.has(day))) {
    await client.query('SELECT llmscope_ensure_partitions($1, $2)', [first, last]);
  }
  const names = SAMPLE_COLUMNS.map(([name]) => `"${name}"`).join(', ');
  // Set-based: the batch's new series are made in one statement (the provider first seen is
  // the alphabetically first of the batch), then the rows join the series table; one plpgsql
  // call per series and batch cost more than the insert itself at 1 000 series (docs/performance.md).
  // A subquery per row rather than a join keeps the staged order, so ids follow the write order.
  await client.query(
    `INSERT INTO series (target, model, probe, provider)
     SELECT DISTINCT ON (target, model, probe) target, model, probe, provider FROM samples_staging u
     WHERE NOT EXISTS (SELECT 1 FROM series se WHERE se.target = u.target AND se.model = u.model AND se.probe = u.probe)
     ORDER BY target, model, probe, provider
     ON CONFLICT (target, model, probe) DO NOTHING;
     INSERT INTO samples (${names}, series_id)
     SELECT ${names
       .split(', ')
       .map((n) => `u.${n}`)
       .join(', ')}, (SELECT se.id FROM series se WHERE se.target = u.target AND se.model = u.model AND se.probe = u.probe)
     FROM samples_staging u
     ON CONFLICT (uid, ts) DO NOTHING`,
  );
  return days.filter((day) => day > safeFrom);
}

async function insertViolations(client: pg.ClientBase, rows: readonly ViolationOpen[]): Promise<void> {
  const { select, values } = unnest(VIOLATION_COLUMNS, rows);
  const own = VIOLATION_COLUMNS.slice(1).map(([name]) => `"${name}"`);
  await client.query(
    `INSERT INTO violations (${own.join(', ')}, sample_id, last_seen_at)
     SELECT ${own.map((n) => `u.${n}`).join(', ')}, s.id, u."timestamp"
     FROM ${select} JOIN samples s ON s.uid = u.sample_uid AND s.ts = u."timestamp"
     ON CONFLICT (sample_id, rule) DO NOTHING`,
    values,
  );
}

const EXTEND_COLUMNS: Column<ViolationExtend>[] = [
  ['rule', 'text', (r) => r.rule],
  ['points', 'int4', (r) => r.points],
  ['last_seen_at', 'timestamptz', (r) => r.lastSeenAt],
];
/** An episode named by its series and opening ts (what the tracker writes since 2026-12-01). */
const LOCATED_EXTEND_COLUMNS: Column<ViolationExtend>[] = [
  ['target', 'text', (r) => r.series!.target],
  ['model', 'text', (r) => r.series!.model],
  ['probe', 'text', (r) => r.series!.probe],
  ['opened_at', 'timestamptz', (r) => r.openedAt],
  ...EXTEND_COLUMNS,
];
/** An episode named by its opening sample's uid alone (rows spilled, or states stored, before). */
const UID_EXTEND_COLUMNS: Column<ViolationExtend>[] = [['sample_uid', 'uuid', (r) => r.sampleUid], ...EXTEND_COLUMNS];

/** Absolute values, never lowered: a replayed or reordered extend changes nothing. */
const EXTEND_SET = 'SET points = GREATEST(v.points, u.points), last_seen_at = GREATEST(v.last_seen_at, u.last_seen_at)';

async function extendViolations(client: pg.ClientBase, rows: readonly ViolationExtend[]): Promise<void> {
  // One UPDATE row per episode (UPDATE … FROM applies only one match per target row).
  const latest = new Map<string, ViolationExtend>();
  for (const row of rows) {
    const key = `${row.sampleUid}/${row.rule}`;
    const seen = latest.get(key);
    if (!seen || seen.points < row.points) latest.set(key, row);
  }
  const list = [...latest.values()];
  const located = list.filter((r) => r.series !== undefined && r.openedAt !== undefined);
  const unlocated = list.filter((r) => r.series === undefined || r.openedAt === undefined);
  // By series, opening ts and rule, through violations_series_ts_idx. Finding the row through
  // the opening sample's uid joined samples by uid alone, which no day partition can be pruned
  // by: with a new day's partition not yet analysed, the planner hashed all of it for every
  // batch (250 ms at 112 000 rows), and at 1 000 probes/s the writer fell behind for good
  // (docs/scaling.md, "Probe cadence at scale").
  if (located.length) {
    const { select, values } = unnest(LOCATED_EXTEND_COLUMNS, located);
    await client.query(
      `UPDATE violations v ${EXTEND_SET} FROM ${select}
       WHERE v.target = u.target AND v.model = u.model AND v.probe = u.probe AND v."timestamp" = u.opened_at AND v.rule = u.rule`,
      values,
    );
  }
  if (unlocated.length) {
    const { select, values } = unnest(UID_EXTEND_COLUMNS, unlocated);
    await client.query(
      `UPDATE violations v ${EXTEND_SET} FROM ${select}
       JOIN samples s ON s.uid = u.sample_uid
       WHERE v.sample_id = s.id AND v.rule = u.rule`,
      values,
    );
  }
}

const ALERT_COLUMNS: Column<AlertOpen>[] = [
  ['uid', 'uuid', (r) => r.uid],
  ['target', 'text', (r) => r.target],
  ['model', 'text', (r) => r.model],
  ['probe', 'text', (r) => r.probe],
  ['detector', 'text', (r) => r.detector],
  ['severity', 'text', (r) => r.severity],
  ['direction', 'text', (r) => r.direction],
  ['effect', 'float8', (r) => r.effect],
  ['started_at', 'timestamptz', (r) => r.startedAt],
  ['last_seen_at', 'timestamptz', (r) => r.lastSeenAt],
  ['ended_at', 'timestamptz', (r) => r.endedAt],
  ['probes', 'int4', (r) => r.probes],
  ['sample_uid', 'uuid', (r) => r.sampleUid],
];

async function insertAlerts(client: pg.ClientBase, rows: readonly AlertOpen[]): Promise<void> {
  const { select, names, values } = unnest(ALERT_COLUMNS, rows);
  await client.query(`INSERT INTO alerts (${names}) SELECT * FROM ${select} ON CONFLICT (uid) DO NOTHING`, values);
}

/** The latest state of each episode; a replayed older update never moves an episode back. */
async function updateAlerts(client: pg.ClientBase, rows: readonly AlertUpdate[]): Promise<void> {
  const latest = new Map<string, AlertUpdate>();
  for (const row of rows) {
    const seen = latest.get(row.uid);
    if (!seen || seen.probes <= row.probes) latest.set(row.uid, row);
  }
  const list = [...latest.values()];
  await client.query(
    `UPDATE alerts a
     SET severity = CASE WHEN a.severity = 'critical' THEN a.severity ELSE u.severity END,
         effect = u.effect, probes = GREATEST(a.probes, u.probes),
         last_seen_at = GREATEST(a.last_seen_at, u.last_seen_at), ended_at = COALESCE(a.ended_at, u.ended_at)
     FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::timestamptz[], $5::timestamptz[], $6::int4[])
       AS u(uid, severity, effect, last_seen_at, ended_at, probes)
     WHERE a.uid = u.uid AND u.probes >= a.probes`,
    [
      list.map((r) => r.uid),
      list.map((r) => r.severity),
      list.map((r) => r.effect),
      list.map((r) => r.lastSeenAt),
      list.map((r) => r.endedAt),
      list.map((r) => r.probes),
    ],
  );
}

async function insertModelEvents(client: pg.ClientBase, rows: readonly ModelEventRow[]): Promise<void> {
  const { select, names, values } = unnest(MODEL_EVENT_COLUMNS, rows);
  await client.query(`INSERT INTO model_events (${names}) SELECT * FROM ${select}`, values);
}

async function deactivateBaseline(client: pg.ClientBase, series: SeriesKey): Promise<void> {
  await client.query('UPDATE baselines SET active = false WHERE target = $1 AND model = $2 AND probe = $3 AND active', [
    series.target,
    series.model,
    series.probe,
  ]);
}

/**
 * Baselines of distinct series, each replacing its series' active one: two statements for the
 * lot. One pair of statements per baseline made the batch in which 1 000 series ended Phase I
 * together 2 000 round trips long, and the writer fell seconds behind (docs/scaling.md).
 */
async function insertBaselines(client: pg.ClientBase, rows: readonly BaselineRow[]): Promise<void> {
  const series = unnest(SERIES_COLUMNS, rows);
  await client.query(
    `UPDATE baselines b SET active = false FROM ${series.select}
     WHERE b.target = u.target AND b.model = u.model AND b.probe = u.probe AND b.active`,
    series.values,
  );
  const { select, names, values } = unnest(BASELINE_COLUMNS, rows);
  await client.query(`INSERT INTO baselines (${names}, active) SELECT *, true FROM ${select}`, values);
}

/** Baselines and their resets in their order; a run of baselines of distinct series goes in one insertBaselines. */
async function writeBaselines(client: pg.ClientBase, items: readonly StoreItem[]): Promise<void> {
  let run: BaselineRow[] = [];
  let inRun = new Set<string>();
  const flush = async () => {
    if (run.length) await insertBaselines(client, run);
    run = [];
    inRun = new Set();
  };
  for (const item of items) {
    if (item.kind === 'baseline') {
      const key = seriesKeyString(item.row);
      if (inRun.has(key)) await flush();
      run.push(item.row);
      inRun.add(key);
    } else if (item.kind === 'baseline-reset') {
      await flush();
      await deactivateBaseline(client, item.row);
    }
  }
  await flush();
}

async function upsertSeriesStates(client: pg.ClientBase, rows: readonly SeriesStateRow[]): Promise<void> {
  const latest = new Map<string, SeriesStateRow>();
  for (const row of rows) latest.set(seriesKeyString(row), row);
  const list = [...latest.values()];
  await client.query(
    `INSERT INTO series_states (target, model, probe, state, as_of, updated_at)
     SELECT u.target, u.model, u.probe, u.state, u.as_of, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) AS u(target, model, probe, state, as_of)
     ON CONFLICT (target, model, probe) DO UPDATE SET state = EXCLUDED.state, as_of = EXCLUDED.as_of, updated_at = now()
     WHERE series_states.as_of <= EXCLUDED.as_of`,
    [
      list.map((r) => r.target),
      list.map((r) => r.model),
      list.map((r) => r.probe),
      list.map((r) => JSON.stringify(r.state)),
      list.map((r) => r.asOf),
    ],
  );
}

const itemsOf = <K extends StoreItem['kind']>(items: readonly StoreItem[], kind: K) =>
  items.filter((i): i is Extract<StoreItem, { kind: K }> => i.kind === kind).map((i) => i.row as Extract<StoreItem, { kind: K }>['row']);

/**
 * The first half of writeItems: opens the items' transaction and COPYs their samples into the
 * connection's staging table, touching no shared table, so it may run while another connection
 * writes the batch before (docs/performance.md, ingest). finishItems must follow on the same
 * client; on an error the transaction is rolled back here.
 */
export async function stageItems(client: pg.ClientBase, items: readonly StoreItem[]): Promise<void> {
  await client.query('BEGIN');
  try {
    const samples = itemsOf(items, 'sample');
    if (samples.length) await copyIntoStaging(client, 'samples_staging', SAMPLE_COLUMNS, samples);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The second half of writeItems, after stageItems on the same client: every write to the shared
 * tables, then COMMIT. Samples go first so that every violation can find its sample; baselines
 * and their resets keep their relative order.
 */
export async function finishItems(client: pg.ClientBase, items: readonly StoreItem[], known?: KnownPartitions): Promise<void> {
  const of = <K extends StoreItem['kind']>(kind: K) => itemsOf(items, kind);
  try {
    const samples = of('sample');
    const ensured = samples.length ? await insertSamples(client, samples, known) : [];
    const opened = of('violation-open');
    if (opened.length) await insertViolations(client, opened);
    const extended = of('violation-extend');
    if (extended.length) await extendViolations(client, extended);
    const alertsOpened = of('alert-open');
    if (alertsOpened.length) await insertAlerts(client, alertsOpened);
    const alertsUpdated = of('alert-update');
    if (alertsUpdated.length) await updateAlerts(client, alertsUpdated);
    const events = of('model-event');
    if (events.length) await insertModelEvents(client, events);
    await writeBaselines(client, items);
    const states = of('series-state');
    if (states.length) await upsertSeriesStates(client, states);
    await client.query('COMMIT');
    // Only now: a partition made in a transaction that rolled back is gone with it.
    for (const day of ensured) known?.add(day);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Writes items in one transaction: stageItems, then finishItems. */
export async function writeItems(client: pg.ClientBase, items: readonly StoreItem[], known?: KnownPartitions): Promise<void> {
  await stageItems(client, items);
  await finishItems(client, items, known);
}
