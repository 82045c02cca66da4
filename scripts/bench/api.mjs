// The HTTP API over a big table: the CSV export of every violation (streamed in keyset pages,
// so the process's memory should stay flat however many rows there are), a deep page of
// /api/violations, and /api/stats/spc downsampling a whole series. Needs DATABASE_URL (a
// Postgres it may create a scratch database on); uses the built collector.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startHttpServer } from '../../collector/dist/http/server.js';
import { runMigrations } from '../../collector/dist/store/migrate.js';

export const name = 'collector HTTP API';

const logger = pino({ level: 'silent' });

async function withScratchDatabase(serverUrl, use) {
  const database = `llmscope_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  try {
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

const SAMPLE_INSERT = `INSERT INTO samples (uid, ts, collector, target, provider, model, probe, prompt_hash, status, latency_ms,
    eval_count, eval_duration_ms, tokens_per_second, cpu_percent, gpu_percent, spc_center, spc_sigma, spc_ucl, spc_lcl)
  SELECT gen_random_uuid(), timestamptz '2026-01-01' + i * interval '30 seconds', 'bench', 'local', 'ollama',
         $2, 'short', 'sha256:bench', 'ok', 800 * exp(0.08 * sin(i * 12.9898) * 2), 48, 640, 75, 35, 80, 800, 64, 1017, 629
  FROM generate_series(1, $1) AS i`;

const VIOLATION_INSERT = `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev,
    ucl, lcl, cpu_percent, gpu_percent, eval_count, eval_duration_ms, prompt_hash, sample_id, target, probe, severity, last_seen_at)
  SELECT s.ts, s.model, s.provider, r.rule, s.latency_ms, 3.2, 800, 64, 1017, 629, s.cpu_percent, s.gpu_percent, s.eval_count,
         s.eval_duration_ms, s.prompt_hash, s.id, s.target, s.probe, 'critical', s.ts
  FROM samples s CROSS JOIN unnest($3::text[]) AS r(rule)
  WHERE s.model = $1 AND s.id % $2 = 0`;

const ALL_RULES = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'WE1', 'WE2', 'WE3', 'WE4', 'EWMA', 'CUSUM'];

/**
 * `count` violations for the export (every rule on each of count/14 samples of one series), and
 * a charted series of `count` samples with a violation on one point in 500, as a real one has.
 */
async function fill(pool, count) {
  // samples is day-partitioned: a plain-SQL writer makes its days' partitions first (docs/sql.md).
  await pool.query(`SELECT llmscope_ensure_partitions('2026-01-01', timestamptz '2026-01-01' + $1 * interval '30 seconds')`, [count]);
  await pool.query(SAMPLE_INSERT, [Math.ceil(count / ALL_RULES.length), 'export-model']);
  await pool.query(VIOLATION_INSERT, ['export-model', 1, ALL_RULES]);
  await pool.query('DELETE FROM violations WHERE id > $1', [count]);
  await pool.query(SAMPLE_INSERT, [count, 'chart-model']);
  await pool.query(VIOLATION_INSERT, ['chart-model', 500, ['R1']]);
  await pool.query('ANALYZE samples; ANALYZE violations');
}

/** Streams the export and watches this process's memory while it does. */
async function measureExport(url) {
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const watch = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const started = performance.now();
  const res = await fetch(`${url}/api/violations/export?format=csv`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(watch);
  return { rows: lines - 1, seconds, bytes, rssGrowth: peakRss - baseline.rss, peakHeap };
}

async function medianMs(times, call) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export async function run({ quick }) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    return [{ benchmark: 'API benchmarks', value: 'not run', unit: '', note: 'set DATABASE_URL to a Postgres server' }];
  }
  const count = quick ? 50_000 : 1_000_000;
  return withScratchDatabase(serverUrl, async (databaseUrl) => {
    await runMigrations({ databaseUrl, logger });
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // Dropping the scratch database ends idle connections; that is not a failure.
    pool.on('error', () => undefined);
    const http = await startHttpServer({
      config: { http: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 1_000_000 } },
      pool,
      registry: new Registry(),
      logger,
      pipeline: { resetBaselines: async () => 0 },
    });
    try {
      await fill(pool, count);
      const csv = await measureExport(http.url);
      const { rows: stored } = await pool.query('SELECT count(*)::int AS n FROM violations');
      if (csv.rows !== stored[0].n) throw new Error(`the export held ${csv.rows} rows, the table ${stored[0].n}`);
      let cursor = null;
      for (let page = 0; page < 50; page++) {
        const body = await (await fetch(`${http.url}/api/violations?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json();
        cursor = body.next_cursor;
      }
      const deepPage = await medianMs(20, () => fetch(`${http.url}/api/violations?limit=100&cursor=${cursor}`).then((r) => r.json()));
      const chart = await medianMs(3, () =>
        fetch(`${http.url}/api/stats/spc?model=chart-model&from=2026-01-01&to=2030-01-01&max_points=1000`).then((r) => r.json()),
      );
      const series = await medianMs(3, () => fetch(`${http.url}/api/series`).then((r) => r.json()));
      const mb = (b) => b / 2 ** 20;
      return [
        {
          benchmark: 'CSV export',
          value: csv.rows / csv.seconds,
          unit: 'rows/s',
          note: `${csv.rows.toLocaleString('en-US')} rows, ${mb(csv.bytes).toFixed(0)} MiB in ${csv.seconds.toFixed(1)} s`,
        },
        {
          benchmark: 'CSV export: RSS growth while streaming',
          value: mb(csv.rssGrowth),
          unit: 'MiB',
          note: `peak heap ${mb(csv.peakHeap).toFixed(0)} MiB; flat in the row count (keyset pages of 1000)`,
        },
        {
          benchmark: '/api/violations page 51 (limit 100)',
          value: deepPage,
          unit: 'ms',
          note: `median of 20, ${count.toLocaleString('en-US')} rows`,
        },
        {
          benchmark: '/api/series',
          value: series,
          unit: 'ms',
          note: `median of 3, ${(count + Math.ceil(count / ALL_RULES.length)).toLocaleString('en-US')} samples in 2 series`,
        },
        {
          benchmark: '/api/stats/spc max_points=1000',
          value: chart,
          unit: 'ms',
          note: `median of 3, a series of ${count.toLocaleString('en-US')} samples`,
        },
      ];
    } finally {
      await http.close();
      await pool.end();
    }
  });
}
