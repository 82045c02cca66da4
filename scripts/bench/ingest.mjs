// 3. Ingest. The collector's real StoreWriter (bounded queue, batches of the configured
// size, one unnest() INSERT per batch in a transaction) writes N samples into a fresh,
// migrated database, each enqueued as the pipeline does it: one group of the sample and its
// series' SPC state. The peer writes the same rows one INSERT statement per row (autocommit),
// the way a naive recorder would; it is timed on a smaller count and reported as a rate.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import { configSchema } from '../../collector/dist/config/schema.js';
import { StoreWriter } from '../../collector/dist/store/writer.js';
import { withBenchDatabase } from './support/database.mjs';
import { sampleRow, seriesState } from './support/sampleRows.mjs';
import { goal, num, progress, sleep, times } from './support/stats.mjs';

export const name = 'ingest';

const SERIES = 100;

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

/** The real writer with the collector's default store settings; returns samples/s. */
async function batchedWriter(pool, count, offset = 0) {
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
  const state = seriesState();
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      // Stay under the queue bound, as a live collector does: a full queue would spill to disk.
      while (writer.depth >= store.queueSize / 2) await sleep(1);
      const row = sampleRow(offset + i, { series: SERIES });
      writer.enqueue([
        { kind: 'sample', row },
        { kind: 'series-state', row: { target: row.target, model: row.model, probe: row.probe, state, asOf: row.ts } },
      ]);
    }
    await writer.flush(600_000);
    const seconds = (performance.now() - started) / 1000;
    if (!writer.healthy) throw new Error(`the writer reported an outage: ${writer.outage?.error}`);
    return { rate: count / seconds, seconds, batchSize: store.batchSize };
  } finally {
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The peer: one INSERT per row on one connection. */
async function singleRowInserts(pool, count, offset) {
  const client = await pool.connect();
  try {
    // samples is day-partitioned: a plain-SQL writer makes its days' partitions first (docs/sql.md).
    await client.query('SELECT llmscope_ensure_partitions($1, $2)', [sampleRow(offset).ts, sampleRow(offset + count).ts]);
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const row = sampleRow(offset + i, { series: SERIES });
      await client.query(
        SINGLE_INSERT,
        COLUMNS.map(([, get]) => get(row)),
      );
    }
    return { rate: count / ((performance.now() - started) / 1000) };
  } finally {
    client.release();
  }
}

export async function run({ quick }) {
  const count = quick ? 50_000 : 1_000_000;
  const peerCount = quick ? 2_000 : 20_000;
  return withBenchDatabase('ingest', async ({ url }) => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => undefined);
    try {
      progress(`single-row INSERTs: ${num(peerCount, 0)} samples`);
      const single = await singleRowInserts(pool, peerCount, count);
      progress(`batched writer: ${num(count, 0)} samples`);
      const batched = await batchedWriter(pool, count);
      // What keeping the rollups costs: the same writer with the rollup trigger switched off.
      const bareCount = Math.round(count / 2);
      progress(`batched writer, rollup trigger disabled: ${num(bareCount, 0)} samples`);
      await pool.query('ALTER TABLE samples DISABLE TRIGGER samples_rollup');
      const bare = await batchedWriter(pool, bareCount, count + peerCount).finally(() =>
        pool.query('ALTER TABLE samples ENABLE TRIGGER samples_rollup'),
      );
      const stored = await countSamples(pool);
      const expected = count + peerCount + bareCount;
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
          note: `${num(count, 0)} samples in ${num(batched.seconds, 1)} s (batch ${batched.batchSize}, + SPC state per group), all stored (${num(bytes / stored, 0)} bytes each on disk with indexes); peer timed on ${num(peerCount, 0)}`,
        },
        {
          what: 'ingest: same writer, rollup trigger disabled',
          figure: `${num(bare.rate, 0)} samples/s`,
          peer: `${num(batched.rate, 0)} samples/s with the rollups kept`,
          ratio: times(bare.rate / batched.rate),
          goal: '',
          note: `${num(bareCount, 0)} samples: the share of the insert that the per-minute/per-hour rollups cost`,
        },
      ];
    } finally {
      await pool.end();
    }
  });
}
