// 3. Ingest. The collector's real StoreWriter (bounded queue, batches of the configured
// size, COPY into staging + one INSERT … SELECT per batch in a transaction, the next batch
// COPYed on a second connection while the current one commits) writes N samples
// into a fresh, migrated database, each enqueued as the pipeline does it: a group per probe,
// with the series' SPC state every STATE_EVERY_SAMPLES samples of that series. The rows are a
// fleet of 1 000 series probed once a second each (the issue's scale). The insert triggers
// only queue rows for the rollups; a fold runs every 5 s beside the writer, as the collector's
// maintenance job does, and the time runs until the last sample is written AND folded into
// the rollups. The peer writes the same rows one INSERT statement per row (autocommit), the
// way a naive recorder would; it is timed on a smaller count and reported as a rate. A second
// row runs the old pattern (100 series, one probe every 50 s each: one sample per series and
// minute, the rollups' worst case).
// Both sides get their rows built before the clock starts: what is timed is the writer (and the
// folds), not the harness making rows. In the collector the pipeline makes a sample when its
// probe completes, spread over the second; generating them in the timed loop cost the one
// bench process 15–27 µs of the ~62 µs per sample (docs/performance.md, ingest).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { configSchema } from '../../collector/dist/config/schema.js';
import { createPool } from '../../collector/dist/store/pool.js';
import { STATE_EVERY_SAMPLES } from '../../collector/dist/pipeline/pipeline.js';
import { foldRollups } from '../../collector/dist/store/rollupQueries.js';
import { StoreWriter } from '../../collector/dist/store/writer.js';
import { withBenchDatabase } from './support/database.mjs';
import { sampleRow, seriesState } from './support/sampleRows.mjs';
import { goal, num, progress, sleep, times } from './support/stats.mjs';

export const name = 'ingest';

// Recent times, as a live collector writes them (the writer remembers young day partitions).
const HOUR_MS = 3_600_000;
/** The fleet: 1 000 series, each probed once a second (sampleRow's i-th row is series i % 1000), from a day ago. */
const FLEET = { series: 1000, stepMs: 1, start: Date.now() - 24 * HOUR_MS };
/** The old pattern: 100 series, one probe every 50 s each, from 30 hours ago. */
const SPARSE = { series: 100, stepMs: 500, start: Date.now() - 30 * HOUR_MS };
const FOLD_EVERY_MS = 5_000;

const COLUMNS = [
  ['uid', (r) => r.uid],
  ['ts', (r) => r.ts],
  ['collector', (r) => r.collector],
  ['target', (r) => r.target],
  ['provider', (r) => r.provider],
  ['model', (r) => r.model],
  ['probe', (r) => r.probe],
  ['prompt_hash', (r) => r.promptHash],
  ['prompt', (r) => r.prompt],
  ['status', (r) => r.status],
  ['error', (r) => r.error],
  ['cold_start', (r) => r.coldStart],
  ['latency_ms', (r) => r.latencyMs],
  ['ttft_ms', (r) => r.ttftMs],
  ['total_duration_ms', (r) => r.totalDurationMs],
  ['load_duration_ms', (r) => r.loadDurationMs],
  ['prompt_eval_count', (r) => r.promptEvalCount],
  ['prompt_eval_duration_ms', (r) => r.promptEvalDurationMs],
  ['eval_count', (r) => r.evalCount],
  ['eval_duration_ms', (r) => r.evalDurationMs],
  ['tokens_per_second', (r) => r.tokensPerSecond],
  ['cpu_percent', (r) => r.cpuPercent],
  ['memory_percent', (r) => r.memoryPercent],
  ['gpu_percent', (r) => r.gpuPercent],
  ['gpu_memory_percent', (r) => r.gpuMemoryPercent],
  ['spc_center', (r) => r.spcCenterMs],
  ['spc_sigma', (r) => r.spcSigmaMs],
  ['spc_ucl', (r) => r.spcUclMs],
  ['spc_lcl', (r) => r.spcLclMs],
];
const SINGLE_INSERT = `INSERT INTO samples (${COLUMNS.map(([c]) => c).join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

async function countSamples(pool) {
  return (await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n;
}

/**
 * The groups the pipeline would enqueue for samples offset … offset + count - 1: a sample each,
 * with the series' SPC state every STATE_EVERY_SAMPLES samples of that series, as pipeline.ts does.
 */
function sampleGroups(count, offset, pattern) {
  const state = seriesState();
  const groups = new Array(count);
  for (let i = 0; i < count; i++) {
    const row = sampleRow(offset + i, pattern);
    const group = [{ kind: 'sample', row }];
    if (Math.floor((offset + i) / pattern.series) % STATE_EVERY_SAMPLES === 0)
      group.push({ kind: 'series-state', row: { target: row.target, model: row.model, probe: row.probe, state, asOf: row.ts } });
    groups[i] = group;
  }
  return groups;
}

/**
 * The real writer with the collector's default store settings, and folds every 5 s beside it;
 * returns samples/s from the first enqueue to the end of the last fold (the groups are built before).
 */
async function batchedWriter(pool, count, offset = 0, pattern = FLEET) {
  const groups = sampleGroups(count, offset, pattern);
  const store = configSchema.parse({ collector: 'bench', targets: [{ url: 'http://127.0.0.1:1' }] }).store;
  const dir = await mkdtemp(join(tmpdir(), 'llmscope-bench-ingest-'));
  const writer = new StoreWriter({
    pool,
    logger: pino({ level: 'silent' }),
    queueSize: store.queueSize,
    spillFile: join(dir, 'spill.ndjson'),
    batchSize: store.batchSize,
    flushIntervalMs: store.flushInterval,
    retryIntervalMs: store.retryInterval,
  });
  await writer.start();
  let folding = Promise.resolve();
  let foldMs = 0;
  const fold = () => {
    folding = folding.then(async () => {
      const started = performance.now();
      await foldRollups(pool);
      foldMs += performance.now() - started;
    });
    return folding;
  };
  const timer = setInterval(() => void fold(), FOLD_EVERY_MS);
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      // Stay under the queue bound, as a live collector does: a full queue would spill to disk.
      while (writer.depth >= store.queueSize / 2) await sleep(1);
      writer.enqueue(groups[i]);
    }
    await writer.flush(600_000);
    const written = (performance.now() - started) / 1000;
    clearInterval(timer);
    await fold();
    const seconds = (performance.now() - started) / 1000;
    if (!writer.healthy) throw new Error(`the writer reported an outage: ${writer.outage?.error}`);
    return { rate: count / seconds, seconds, written, foldSeconds: foldMs / 1000, batchSize: store.batchSize };
  } finally {
    clearInterval(timer);
    await folding.catch(() => undefined);
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The peer: one INSERT per row on one connection, its parameters also built before the clock starts. */
async function singleRowInserts(pool, count, offset) {
  const params = Array.from({ length: count }, (_, i) => {
    const row = sampleRow(offset + i, FLEET);
    return COLUMNS.map(([, get]) => get(row));
  });
  const client = await pool.connect();
  try {
    // samples is day-partitioned: a plain-SQL writer makes its days' partitions first (docs/sql.md).
    await client.query('SELECT llmscope_ensure_partitions($1, $2)', [sampleRow(offset, FLEET).ts, sampleRow(offset + count, FLEET).ts]);
    const started = performance.now();
    for (const values of params) await client.query(SINGLE_INSERT, values);
    return { rate: count / ((performance.now() - started) / 1000) };
  } finally {
    client.release();
  }
}

export async function run({ quick }) {
  const count = quick ? 50_000 : 1_000_000;
  const peerCount = quick ? 2_000 : 20_000;
  return withBenchDatabase('ingest', async ({ url }) => {
    // The collector's writer pool (collector/src/main.ts): its writer (two connections) and its
    // folds share it, with jit off and work_mem 16 MB; under the server's default 4 MB a fold of
    // 5 s of the fleet sorted and hashed on disk (docs/performance.md, ingest).
    const pool = createPool({ databaseUrl: url, logger: pino({ level: 'silent' }), max: 3 });
    try {
      progress(`single-row INSERTs: ${num(peerCount, 0)} samples`);
      const single = await singleRowInserts(pool, peerCount, count);
      progress(`batched writer: ${num(count, 0)} samples of ${FLEET.series} series at 1/s (built first), folded every 5 s`);
      const batched = await batchedWriter(pool, count);
      const sparseCount = Math.round(count / 5);
      progress(`batched writer, ${SPARSE.series} series every 50 s: ${num(sparseCount, 0)} samples`);
      const sparse = await batchedWriter(pool, sparseCount, 0, SPARSE);
      const queued = (await pool.query('SELECT count(*)::int AS n FROM sample_rollup_queue')).rows[0].n;
      if (queued !== 0) throw new Error(`${queued} samples left in the rollup queue after the last fold`);
      const rolled = (await pool.query('SELECT sum(ok + error + timeout + suspect)::int AS n FROM sample_rollups_1h')).rows[0].n;
      const stored = await countSamples(pool);
      const expected = count + peerCount + sparseCount;
      if (rolled !== expected) throw new Error(`the hourly rollups count ${rolled} samples, expected ${expected}`);
      if (stored !== expected) throw new Error(`samples table holds ${stored} rows, expected ${expected}: rows were lost`);
      // Disk per sample, its day partitions and their indexes: the sizing figure for docs/scaling.md.
      const bytes = (
        await pool.query(`SELECT sum(pg_total_relation_size(inhrelid))::float8 AS b FROM pg_inherits WHERE inhparent = 'samples'::regclass`)
      ).rows[0].b;
      const ratio = batched.rate / single.rate;
      return [
        {
          what: 'ingest: batched writer → Postgres',
          figure: `${num(batched.rate, 0)} samples/s`,
          peer: `${num(single.rate, 0)} samples/s single-row INSERT`,
          ratio: times(ratio),
          goal: goal('≥ 20 000/s and ≥ 10×', batched.rate >= 20_000 && ratio >= 10),
          note: `${num(count, 0)} samples of ${FLEET.series} series in ${num(batched.seconds, 1)} s to the last fold (written in ${num(batched.written, 1)} s; folds ${num(batched.foldSeconds, 1)} s of it; batch ${batched.batchSize}, SPC state every ${STATE_EVERY_SAMPLES} samples per series), all stored and counted in the rollups; rows built before the clock, on both sides (${num(bytes / stored, 0)} bytes each on disk with indexes); peer timed on ${num(peerCount, 0)}`,
        },
        {
          what: 'ingest: same writer, 100 series every 50 s (one sample per series-minute)',
          figure: `${num(sparse.rate, 0)} samples/s`,
          peer: `${num(batched.rate, 0)} samples/s the fleet of 1 000 at 1/s`,
          ratio: times(sparse.rate / batched.rate),
          goal: '',
          note: `${num(sparseCount, 0)} samples in ${num(sparse.seconds, 1)} s to the last fold (folds ${num(sparse.foldSeconds, 1)} s): every sample makes its own minute rollup row, the rollups' worst case`,
        },
      ];
    } finally {
      await pool.end();
    }
  });
}
