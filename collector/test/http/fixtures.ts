// Realistic rows for the API tests, written with plain SQL into a migrated test database.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import { createHttpApp } from '../../src/http/server.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import type { SampleDetail, SeriesKey } from '../../src/store/seriesQueries.js';

/** A samples row as the API reads it (`SampleDetail`), less what the database or the collector fills in. */
export type SampleFixture = Omit<SampleDetail, 'id' | 'uid' | 'collector' | 'provider' | 'prompt_hash' | 'prompt' | 'status'> & {
  status: 'ok' | 'error' | 'timeout';
};

/** Deterministic pseudo-random numbers (mulberry32), so a failing test fails the same way twice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CENTER_MS = 800;
/** Sigma of ln(latency): the log-transformed chart the collector draws by default. */
export const LN_SIGMA = 0.08;

/** A probe series every `stepMs`: log-normal latency around 800 ms, Ollama-like telemetry, limits from point 20 on. */
export function seriesSamples(opts: SeriesKey & { start: Date; count: number; stepMs: number; seed: number }): SampleFixture[] {
  const random = seededRandom(opts.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: opts.count }, (_, i) => {
    const status = i % 97 === 50 ? 'timeout' : i % 89 === 40 ? 'error' : 'ok';
    const latency = status === 'timeout' ? 30_000 : status === 'error' ? 3 : CENTER_MS * Math.exp(LN_SIGMA * normal());
    const evalCount = status === 'ok' ? 40 + Math.floor(random() * 10) : null;
    const evalMs = status === 'ok' ? latency * 0.8 : null;
    const limited = i >= 20;
    return {
      target: opts.target,
      model: opts.model,
      probe: opts.probe,
      ts: new Date(opts.start.getTime() + i * opts.stepMs),
      status,
      latency_ms: latency,
      ttft_ms: status === 'ok' ? latency * 0.15 : null,
      total_duration_ms: status === 'ok' ? latency * 0.98 : null,
      load_duration_ms: status === 'ok' ? 2.5 : null,
      prompt_eval_count: status === 'ok' ? 26 : null,
      prompt_eval_duration_ms: status === 'ok' ? latency * 0.1 : null,
      eval_count: evalCount,
      eval_duration_ms: evalMs,
      tokens_per_second: evalCount !== null && evalMs !== null ? evalCount / (evalMs / 1000) : null,
      cpu_percent: 20 + random() * 30,
      memory_percent: 55 + random() * 5,
      gpu_percent: 60 + random() * 30,
      gpu_memory_percent: 40,
      cold_start: false,
      error: status === 'error' ? 'model runner stopped' : null,
      spc_center: limited ? CENTER_MS : null,
      spc_sigma: limited ? CENTER_MS * LN_SIGMA : null,
      spc_ucl: limited ? CENTER_MS * Math.exp(3 * LN_SIGMA) : null,
      spc_lcl: limited ? CENTER_MS * Math.exp(-3 * LN_SIGMA) : null,
    };
  });
}

const SAMPLE_COLUMNS: Record<keyof SampleFixture, string> = {
  target: 'text',
  model: 'text',
  probe: 'text',
  ts: 'timestamptz',
  status: 'text',
  latency_ms: 'float8',
  ttft_ms: 'float8',
  total_duration_ms: 'float8',
  load_duration_ms: 'float8',
  prompt_eval_count: 'int',
  prompt_eval_duration_ms: 'float8',
  eval_count: 'int',
  eval_duration_ms: 'float8',
  tokens_per_second: 'float8',
  cpu_percent: 'float8',
  memory_percent: 'float8',
  gpu_percent: 'float8',
  gpu_memory_percent: 'float8',
  cold_start: 'boolean',
  error: 'text',
  spc_center: 'float8',
  spc_sigma: 'float8',
  spc_ucl: 'float8',
  spc_lcl: 'float8',
};

/** Inserts the samples in one statement; returns their ids in input order. */
export async function insertSamples(pool: pg.Pool, samples: SampleFixture[]): Promise<number[]> {
  const names = Object.keys(SAMPLE_COLUMNS) as (keyof SampleFixture)[];
  const records = samples.map((s, i) => ({ ...s, ord: i, uid: randomUUID() }));
  // samples is partitioned by day; a plain-SQL writer makes its days' partitions first (docs/sql.md).
  const times = samples.map((s) => s.ts.getTime());
  const [first, last] = times.reduce(([lo, hi], t) => [Math.min(lo, t), Math.max(hi, t)], [Infinity, -Infinity]);
  if (samples.length > 0) await pool.query('SELECT llmscope_ensure_partitions($1, $2)', [new Date(first), new Date(last)]);
  const { rows } = await pool.query<{ id: string; ord: number }>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, uid uuid, ${names.map((n) => `${n} ${SAMPLE_COLUMNS[n]}`).join(', ')})
     ), inserted AS (
       INSERT INTO samples (uid, collector, provider, prompt_hash, ${names.join(', ')})
       SELECT uid, 'test-collector', 'ollama', 'sha256:0f1e2d', ${names.join(', ')} FROM input ORDER BY ord
       RETURNING id, uid
     )
     SELECT inserted.id, input.ord FROM inserted JOIN input USING (uid) ORDER BY input.ord`,
    [JSON.stringify(records)],
  );
  return rows.map((r) => Number(r.id));
}

export interface ViolationFixture {
  sampleId: number;
  rule: string;
  severity: 'critical' | 'warning' | 'info';
  points?: number;
  acknowledged?: boolean;
  note?: string;
}

/** Opens a violation episode on a stored sample, copying its telemetry as the collector does. */
export async function insertViolation(pool: pg.Pool, v: ViolationFixture): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl,
       cpu_percent, memory_percent, gpu_percent, eval_count, eval_duration_ms, prompt_hash, sample_id, target, probe,
       severity, points, last_seen_at, acknowledged_at, note)
     SELECT s.ts, s.model, s.provider, $2, s.latency_ms,
            ln(s.latency_ms / coalesce(s.spc_center, $7)) / $8, coalesce(s.spc_center, $7), coalesce(s.spc_sigma, $7 * $8),
            coalesce(s.spc_ucl, $7 * exp(3 * $8)), coalesce(s.spc_lcl, $7 * exp(-3 * $8)),
            s.cpu_percent, s.memory_percent, s.gpu_percent, s.eval_count, s.eval_duration_ms, s.prompt_hash, s.id, s.target, s.probe,
            $3, $4, s.ts + ($4 - 1) * interval '30 seconds', CASE WHEN $5 THEN now() END, $6
     FROM samples s WHERE s.id = $1
     RETURNING id`,
    [v.sampleId, v.rule, v.severity, v.points ?? 1, v.acknowledged ?? false, v.note ?? null, CENTER_MS, LN_SIGMA],
  );
  if (!rows[0]) throw new Error(`no sample ${v.sampleId} to attach a violation to`);
  return Number(rows[0].id);
}

/** Records the filters it was asked to reset and answers with a fixed count, like a pipeline with that many series. */
export function recordingPipeline(seriesCount: number) {
  const calls: Partial<SeriesKey>[] = [];
  return {
    calls,
    async resetBaselines(filter: Partial<SeriesKey>) {
      calls.push(filter);
      return seriesCount;
    },
  };
}

export interface TestApiOptions {
  pool: pg.Pool;
  apiToken?: string;
  corsOrigin?: string;
  rateLimitPerMinute?: number;
  registry?: YieldingRegistry;
  logger?: Logger;
  pipeline?: { resetBaselines(filter: Partial<SeriesKey>): Promise<number> };
}

/** The real express app over the real pool, for supertest. */
export function testApi(opts: TestApiOptions) {
  const app = createHttpApp({
    config: {
      http: {
        host: '127.0.0.1',
        port: 0,
        apiToken: opts.apiToken,
        corsOrigin: opts.corsOrigin,
        rateLimitPerMinute: opts.rateLimitPerMinute ?? 100_000,
      },
    },
    pool: opts.pool,
    registry: opts.registry ?? new YieldingRegistry(),
    logger: opts.logger ?? pino({ level: 'silent' }),
    pipeline: opts.pipeline ?? recordingPipeline(0),
  });
  return request(app);
}
