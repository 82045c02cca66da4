// 4. API. /api/stats/spc of the real HTTP server (express app, its store queries, one pg
// Pool) over one series of N samples spread over 7 days (~2/s), filled set-based
// (support/fillSamples.mjs: generate_series into each day's table, attached as a partition, then
// the rollups rebuilt), with a violation on one sample in a thousand. Timed: 50 requests for the whole range with
// max_points=2000 (a range that long is drawn from the minute rollups). Peers, in the same run:
// the raw scan of the same data (the store's downsampling query over the samples, called
// directly, alternating with the requests), and the endpoint returning every point of a
// 50 000-sample series. Then a 30-day
// table of 10 series (10M samples; 1M with --quick): one series, max_points=2000, beside its
// raw scan. The chart query the endpoint sends is captured and run again under EXPLAIN
// (ANALYZE, BUFFERS) so the output shows which index it uses.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startHttpServer } from '../../collector/dist/http/server.js';
import { downsampledChartPoints } from '../../collector/dist/store/seriesQueries.js';
import { withBenchDatabase } from './support/database.mjs';
import { fillSamples } from './support/fillSamples.mjs';
import { goal, num, progress, quantile, times } from './support/stats.mjs';

export const name = 'API /api/stats/spc';

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-01-08T00:00:00.000Z';
const WEEK_MS = 7 * 24 * 3_600_000;
const TARGET = 'bench-host:11434';
const DAY_FROM = '2026-01-04T00:00:00.000Z';
const DAY_TO = '2026-01-05T00:00:00.000Z';

/** A pg.Pool that remembers the SQL it was asked to run, so the bench can EXPLAIN it. */
class RecordingPool extends pg.Pool {
  recorded = [];
  query(text, values, callback) {
    // Named statements (the long-range chart's) come as a config object.
    if (typeof text === 'string') this.recorded.push({ text, values });
    else if (text && typeof text.text === 'string') this.recorded.push({ text: text.text, values: text.values });
    return super.query(text, values, callback);
  }
}

/**
 * The endpoint and its peer, the raw-scan downsampling of the same range straight from the
 * store, taken in turn (request, scan, request, …) so a change in the machine's load falls
 * on both alike.
 */
async function timeAgainstRawScan(url, pool, series, from, to, count) {
  const api = [];
  const raw = [];
  let body;
  let points;
  for (let i = 0; i < count; i++) {
    let started = performance.now();
    const res = await fetch(url);
    body = await res.json();
    api.push(performance.now() - started);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${JSON.stringify(body)}`);
    started = performance.now();
    points = await downsampledChartPoints(pool, { series, from: new Date(from), to: new Date(to), maxPoints: 2000 }, 1000);
    raw.push(performance.now() - started);
  }
  return { p50: quantile(api, 0.5), p95: quantile(api, 0.95), body, raw: { p50: quantile(raw, 0.5), points } };
}

async function timeRequests(url, count) {
  const durations = [];
  let body;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(url);
    body = await res.json();
    durations.push(performance.now() - started);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${JSON.stringify(body)}`);
  }
  return { p50: quantile(durations, 0.5), p95: quantile(durations, 0.95), body };
}

/** How the plan reads samples: the index scans it makes, else its sequential scans. */
function scans(plan) {
  const text = plan.join('\n');
  const found = text.match(/(?:Bitmap Index Scan on|Index (?:Only )?Scan using) \w+/g) ?? text.match(/Seq Scan on samples/g) ?? [];
  return [...new Set(found)].join(', ') || 'no scan of samples';
}

async function explain(pool, query) {
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values);
  return rows.map((r) => r['QUERY PLAN']);
}

export async function run({ quick }) {
  const bigCount = quick ? 100_000 : 1_000_000;
  const peerCount = quick ? 20_000 : 50_000;
  const requests = quick ? 10 : 50;
  const monthSeries = 10;
  const monthPerSeries = quick ? 100_000 : 1_000_000;
  return withBenchDatabase('api', async ({ url: databaseUrl }) => {
    // JIT off, as on the collector's own pools (collector/src/store/pool.ts).
    const pool = new RecordingPool({ connectionString: databaseUrl, max: 4, options: '-c jit=off' });
    pool.on('error', () => undefined);
    const http = await startHttpServer({
      config: { http: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 1_000_000 } },
      pool,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      pipeline: { resetBaselines: async () => 0 },
    });
    try {
      progress(`filling a series of ${num(bigCount, 0)} samples and one of ${num(peerCount, 0)} over a week (set-based)`);
      const week = await fillSamples(pool, {
        from: FROM,
        spanMs: WEEK_MS,
        series: [
          { target: TARGET, model: 'bench-big', count: bigCount },
          { target: TARGET, model: 'bench-small', count: peerCount },
        ],
      });
      progress(`filled in ${num(week.seconds, 1)} s; ${requests} requests each`);

      const range = `target=${encodeURIComponent(TARGET)}&probe=default&from=${FROM}&to=${TO}`;
      pool.recorded = [];
      const big = await timeAgainstRawScan(
        `${http.url}/api/stats/spc?model=bench-big&${range}&max_points=2000`,
        pool,
        { target: TARGET, model: 'bench-big', probe: 'default' },
        FROM,
        TO,
        requests,
      );
      const rawBig = big.raw;
      // The endpoint's own query (the rollup drawing), not the raw-scan peer's that alternates with it.
      const chartQuery = pool.recorded.find((q) => q.text.includes('latency_min_point'));
      // One day of the same series: the slice a dashboard usually shows, where the index decides.
      pool.recorded = [];
      const day = await timeRequests(
        `${http.url}/api/stats/spc?model=bench-big&target=${encodeURIComponent(TARGET)}&probe=default&from=${DAY_FROM}&to=${DAY_TO}&max_points=2000`,
        requests,
      );
      const dayQuery = pool.recorded.find((q) => q.text.includes('width_bucket'));
      const small = await timeRequests(`${http.url}/api/stats/spc?model=bench-small&${range}&max_points=100000`, requests);

      progress(`filling a 30-day table of ${monthSeries} series × ${num(monthPerSeries, 0)} samples (set-based)`);
      const MONTH_FROM = '2026-03-01T00:00:00.000Z';
      const MONTH_TO = '2026-03-31T00:00:00.000Z';
      const monthFilled = await fillSamples(pool, {
        from: MONTH_FROM,
        spanMs: 30 * 24 * 3_600_000,
        series: Array.from({ length: monthSeries }, (_, s) => ({ target: 'month-host:11434', model: `month-${s}`, count: monthPerSeries })),
      });
      const monthFill = monthFilled.seconds;
      pool.recorded = [];
      const month = await timeAgainstRawScan(
        `${http.url}/api/stats/spc?target=month-host%3A11434&model=month-3&probe=default&from=${MONTH_FROM}&to=${MONTH_TO}&max_points=2000`,
        pool,
        { target: 'month-host:11434', model: 'month-3', probe: 'default' },
        MONTH_FROM,
        MONTH_TO,
        requests,
      );
      if (month.body.total_points !== monthPerSeries)
        throw new Error(`expected ${monthPerSeries} points in the month, got ${month.body.total_points}`);
      const rawMonth = month.raw;
      const monthQuery = pool.recorded.find((q) => q.text.includes('latency_min_point'));
      if (!big.body.downsampled || big.body.total_points !== bigCount)
        throw new Error(
          `expected a downsampled chart of ${bigCount} points, got ${JSON.stringify({ downsampled: big.body.downsampled, total: big.body.total_points })}`,
        );
      if (small.body.downsampled || small.body.points.length !== peerCount)
        throw new Error(`expected all ${peerCount} points, got ${small.body.points.length}`);

      const plans = [];
      for (const [what, query] of [
        [`the whole week (${num(bigCount, 0)} samples)`, chartQuery],
        ['one day', dayQuery],
        ['one series of the month', monthQuery],
      ]) {
        const plan = query ? await explain(pool, query) : ['(the downsampling query was not seen)'];
        progress(`EXPLAIN (ANALYZE, BUFFERS) of the downsampling query over ${what}:`);
        for (const line of plan) progress(`  ${line}`);
        plans.push(scans(plan));
      }
      const ms = (v) => `${num(v, 0)} ms`;
      return [
        {
          what: `API: /api/stats/spc ${num(bigCount / 1e6, 1)}M samples in a week, max_points=2000, p50`,
          figure: ms(big.p50),
          peer: `${ms(rawBig.p50)} raw scan of the same range`,
          ratio: times(rawBig.p50 / big.p50, 1),
          goal: goal('p50 < 150 ms', big.p50 < 150),
          note: `${big.body.points.length} points returned from the minute rollups (${big.body.points.filter((p) => p.rules.length > 0).length} violations kept; the raw scan returns ${rawBig.points.length}); plan: ${plans[0]}`,
        },
        {
          what: `API: same endpoint, every point of ${num(peerCount / 1000, 0)}k samples, p50`,
          figure: ms(small.p50),
          peer: '',
          ratio: '',
          goal: '',
          note: 'no downsampling: the cost of shipping points, for scale',
        },
        {
          what: `API: /api/stats/spc one series of a 30-day ${num((monthSeries * monthPerSeries) / 1e6, 0)}M-sample table (${monthSeries} series), max_points=2000, p50`,
          figure: ms(month.p50),
          peer: `${ms(rawMonth.p50)} raw scan of the same range`,
          ratio: times(rawMonth.p50 / month.p50, 1),
          goal: goal('p50 < 250 ms', month.p50 < 250),
          note: `${num(monthPerSeries, 0)} samples in the range, ${month.body.points.length} points returned; table filled in ${num(monthFill, 0)} s`,
        },
        {
          what: `API: week of ${num(bigCount / 1e6, 1)}M, p95`,
          figure: ms(big.p95),
          peer: '',
          ratio: '',
          goal: '',
          note: `${requests} sequential requests each`,
        },
        {
          what: 'API: same series, one day, max_points=2000, p50',
          figure: ms(day.p50),
          peer: '',
          ratio: '',
          goal: '',
          note: `${num(day.body.total_points, 0)} samples in the day; plan: ${plans[1]}`,
        },
      ];
    } finally {
      await http.close();
      await pool.end();
    }
  });
}
