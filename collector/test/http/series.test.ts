import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { CENTER_MS, insertSamples, LN_SIGMA, seriesSamples, testApi } from './fixtures.js';
import { useSeededApi } from './seededApi.js';
import { at, PLANNED, SERIES_A, SERIES_B } from './violationFixture.js';

// Real Postgres on a shared CI machine: give each test room; none asserts on speed.
vi.setConfig({ testTimeout: 30_000 });

interface ApiPoint {
  id: number;
  ts: string;
  latency_ms: number;
  status: string;
  center: number | null;
  ucl: number | null;
  lcl: number | null;
  plus1: number | null;
  minus1: number | null;
  plus2: number | null;
  minus2: number | null;
  deviation_sigma: number | null;
  rules: string[];
  severity: string | null;
  violation_ids: number[];
}

const seededApi = useSeededApi();

const api = () => seededApi.api();
const rangeA = `target=${SERIES_A.target}&model=${encodeURIComponent(SERIES_A.model)}&probe=short&from=${at(0).toISOString()}&to=${at(299).toISOString()}`;

describe('GET /api/series', () => {
  it('lists each series with its sample and violation counts', async () => {
    const res = await api().get('/api/series').expect(200);
    expect(res.body.series).toHaveLength(2);
    const a = res.body.series.find((s: { model: string }) => s.model === SERIES_A.model);
    expect(a).toMatchObject({ ...SERIES_A, provider: 'ollama', samples: 300, violations: 8, unacknowledged_violations: 6 });
    expect(a.first_at).toBe(at(0).toISOString());
    expect(a.last_at).toBe(at(299).toISOString());
    const b = res.body.series.find((s: { model: string }) => s.model === SERIES_B.model);
    expect(b).toMatchObject({ samples: 200, violations: 4, unacknowledged_violations: 3 });
  });
});

describe('GET /api/stats/spc', () => {
  it('returns every point with the limits in force, log-scale zone lines and rule flags', async () => {
    const res = await api().get(`/api/stats/spc?${rangeA}`).expect(200);
    expect(res.body.series).toEqual(SERIES_A);
    expect(res.body.downsampled).toBe(false);
    expect(res.body.total_points).toBe(300);
    const points = res.body.points as ApiPoint[];
    expect(points.map((p) => p.id)).toEqual(seededApi.seeded.sampleIds.A);
    expect(points[0]!.center).toBeNull();
    expect(points[0]!.plus1).toBeNull();
    const limited = points[30]!;
    expect(limited.center).toBeCloseTo(CENTER_MS, 9);
    expect(limited.plus1).toBeCloseTo(CENTER_MS * Math.exp(LN_SIGMA), 9);
    expect(limited.minus1).toBeCloseTo(CENTER_MS * Math.exp(-LN_SIGMA), 9);
    expect(limited.plus2).toBeCloseTo(CENTER_MS * Math.exp(2 * LN_SIGMA), 9);
    expect(limited.minus2).toBeCloseTo(CENTER_MS * Math.exp(-2 * LN_SIGMA), 9);
    expect(limited.deviation_sigma).toBeCloseTo(Math.log(limited.latency_ms / CENTER_MS) / LN_SIGMA, 9);
    const flagged = points[60]!;
    expect(flagged.rules).toEqual(['R2', 'R5']);
    expect(flagged.severity).toBe('warning');
    expect(flagged.violation_ids).toHaveLength(2);
    expect(points[25]!).toMatchObject({ rules: ['R1'], severity: 'critical' });
    expect(points[26]!.rules).toEqual([]);
    expect(points[50]!.status).toBe('timeout');
  });

  it('draws linear zone lines when the limits are symmetric in milliseconds', async () => {
    const series = { target: 'lin', model: 'plain', probe: 'short' };
    const samples = seriesSamples({ ...series, start: at(0), count: 30, stepMs: 30_000, seed: 3 }).map((s) => ({
      ...s,
      spc_center: 500,
      spc_sigma: 40,
      spc_ucl: 620,
      spc_lcl: 380,
    }));
    await insertSamples(seededApi.pool, samples);
    const res = await api()
      .get(`/api/stats/spc?model=plain&from=${at(0).toISOString()}&to=${at(40).toISOString()}`)
      .expect(200);
    expect(res.body.points[0]).toMatchObject({ center: 500, ucl: 620, lcl: 380, plus1: 540, minus1: 460, plus2: 580, minus2: 420 });
    await seededApi.pool.query(`DELETE FROM samples WHERE model = 'plain'`);
  });

  it('downsamples to min/max per bucket and keeps every violation point', async () => {
    const res = await api().get(`/api/stats/spc?${rangeA}&max_points=20`).expect(200);
    expect(res.body.downsampled).toBe(true);
    expect(res.body.total_points).toBe(300);
    const points = res.body.points as ApiPoint[];
    const violationSamples = PLANNED.filter((p) => p.series === 'A').map((p) => seededApi.seeded.sampleIds.A[p.index]!);
    const ids = points.map((p) => p.id);
    for (const id of violationSamples) expect(ids).toContain(id);
    expect(points.length).toBeLessThanOrEqual(20 + new Set(violationSamples).size);
    expect(points.length).toBeGreaterThan(10);
    // Time order, and the extremes (the 30 s timeouts, the 3 ms errors) survive.
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(points.filter((p) => p.status === 'timeout')).toHaveLength(3);
    expect(Math.min(...points.map((p) => p.latency_ms))).toBe(3);
    expect(points.find((p) => p.id === seededApi.seeded.sampleIds.A[60])!.rules).toEqual(['R2', 'R5']);
  });

  it('answers with every point when max_points is not reached', async () => {
    const res = await api().get(`/api/stats/spc?${rangeA}&max_points=300`).expect(200);
    expect(res.body.downsampled).toBe(false);
    expect(res.body.points).toHaveLength(300);
  });

  it('needs labels that pick exactly one series', async () => {
    const none = await api()
      .get(`/api/stats/spc?from=${at(0).toISOString()}`)
      .expect(400);
    expect(none.body).toMatchObject({ field: 'target' });
    expect(none.body.error).toMatch(/several series match/);
    const probeOnly = await api().get('/api/stats/spc?probe=short').expect(400);
    expect(probeOnly.body.field).toBe('target');
    const missing = await api().get('/api/stats/spc?model=nope').expect(404);
    expect(missing.body.error).toMatch(/no series matches/);
    const byModel = await api()
      .get(`/api/stats/spc?model=${encodeURIComponent(SERIES_B.model)}&from=${at(0).toISOString()}&to=${at(500).toISOString()}`)
      .expect(200);
    expect(byModel.body.series).toEqual(SERIES_B);
    expect(byModel.body.points).toHaveLength(200);
  });
});

describe('GET /api/summary', () => {
  it('summarises the recent window: violations by severity and rule, mean and p95 latency, tokens/s', async () => {
    const series = { target: 'live', model: 'phi3:mini', probe: 'short' };
    const now = Date.now();
    const recent = seriesSamples({ ...series, start: new Date(now - 100 * 30_000), count: 100, stepMs: 30_000, seed: 9 });
    const old = seriesSamples({ ...series, start: new Date(now - 3 * 3_600_000), count: 10, stepMs: 30_000, seed: 10 });
    const ids = await insertSamples(seededApi.pool, [...old, ...recent]);
    const { insertViolation } = await import('./fixtures.js');
    await insertViolation(seededApi.pool, { sampleId: ids[15]!, rule: 'R1', severity: 'critical' });
    await insertViolation(seededApi.pool, { sampleId: ids[30]!, rule: 'R1', severity: 'critical' });
    await insertViolation(seededApi.pool, { sampleId: ids[31]!, rule: 'R6', severity: 'warning' });
    await insertViolation(seededApi.pool, { sampleId: ids[2]!, rule: 'R1', severity: 'critical' }); // 3 h ago: outside 1h

    const ok = recent.slice(-120).filter((s) => s.status === 'ok' && s.ts.getTime() >= now - 3_600_000);
    const latencies = ok.map((s) => s.latency_ms).sort((a, b) => a - b);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    const rank = 0.95 * (latencies.length - 1);
    const p95 = latencies[Math.floor(rank)]! + (rank - Math.floor(rank)) * (latencies[Math.ceil(rank)]! - latencies[Math.floor(rank)]!);
    const tps = ok.reduce((a, s) => a + s.tokens_per_second!, 0) / ok.length;

    const res = await api()
      .get(`/api/summary?window=1h&model=${encodeURIComponent(series.model)}`)
      .expect(200);
    expect(res.body.window).toBe('1h');
    expect(res.body.violations.total).toBe(3);
    expect(res.body.violations.by_severity).toEqual({ critical: 2, warning: 1, info: 0 });
    expect(res.body.violations.by_rule).toMatchObject({ R1: 2, R6: 1, R2: 0, EWMA: 0, CUSUM: 0 });
    expect(res.body.probes.ok).toBe(ok.length);
    expect(res.body.latency.mean_ms).toBeCloseTo(mean, 6);
    expect(res.body.latency.p95_ms).toBeCloseTo(p95, 6);
    expect(res.body.mean_tokens_per_second).toBeCloseTo(tps, 6);

    const wide = await api()
      .get(`/api/summary?window=4h&model=${encodeURIComponent(series.model)}`)
      .expect(200);
    expect(wide.body.violations.total).toBe(4);
    const all = await api().get('/api/summary').expect(200);
    expect(all.body.window).toBe('1h');
    expect(all.body.violations.total).toBe(3);
  });
});

describe('POST /api/baselines/reset', () => {
  it('passes the series filter to the pipeline and reports how many series it reset', async () => {
    const { recordingPipeline } = await import('./fixtures.js');
    const pipeline = recordingPipeline(2);
    const app = () => seededApi.api({ apiToken: 'reset-token-123', pipeline });
    await app().post('/api/baselines/reset').send({ model: 'x' }).expect(401);
    const res = await app()
      .post('/api/baselines/reset')
      .set('Authorization', 'Bearer reset-token-123')
      .send({ model: SERIES_A.model })
      .expect(200);
    expect(res.body).toEqual({ reset: 2 });
    await app().post('/api/baselines/reset').set('Authorization', 'Bearer reset-token-123').expect(200);
    expect(pipeline.calls).toEqual([{ model: SERIES_A.model }, {}]);
    const bad = await app().post('/api/baselines/reset').set('Authorization', 'Bearer reset-token-123').send({ model: 5 }).expect(400);
    expect(bad.body.field).toBe('model');
    const extra = await app().post('/api/baselines/reset').set('Authorization', 'Bearer reset-token-123').send({ modle: 'x' }).expect(400);
    expect(extra.body.field).toBe('modle');
    const broken = await app()
      .post('/api/baselines/reset')
      .set('Authorization', 'Bearer reset-token-123')
      .set('Content-Type', 'application/json')
      .send('{"model": ')
      .expect(400);
    expect(broken.body).toEqual({ error: 'the request body is not valid JSON', field: 'body' });
    expect(pipeline.calls).toHaveLength(2);
  });
});

describe('health, metrics and the HTTP hardening', () => {
  it('/healthz answers while the process is up', async () => {
    await api().get('/healthz').expect(200, { status: 'ok' });
  });

  it('/readyz is ready on a migrated database', async () => {
    await api().get('/readyz').expect(200, { status: 'ready', checked: 'api pool' });
  });

  it('/readyz answers 503 with the reason when migrations are missing or the database is unreachable', async () => {
    const { createTestDatabase, migrateTestDatabase } = await import('../helpers/database.js');
    const bare = await createTestDatabase();
    const barePool = new pg.Pool({ connectionString: bare.url, max: 2 });
    try {
      const empty = await testApi({ pool: barePool }).get('/readyz').expect(503);
      expect(empty.body.reason).toMatch(/schema has not been created: run `llmscope migrate`/);
      await migrateTestDatabase(bare.url);
      await testApi({ pool: barePool }).get('/readyz').expect(200);
      await barePool.query(`DELETE FROM pgmigrations WHERE name LIKE '%initial-schema'`);
      const pending = await testApi({ pool: barePool }).get('/readyz').expect(503);
      expect(pending.body.reason).toMatch(/1 migration\(s\) not applied \(\d+_initial-schema\)/);
    } finally {
      await barePool.end();
      await bare.drop();
    }
    const nowhere = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 1000 });
    nowhere.on('error', () => undefined);
    try {
      const down = await testApi({ pool: nowhere }).get('/readyz').expect(503);
      expect(down.body.reason).toMatch(/database is unreachable/);
    } finally {
      await nowhere.end();
    }
  });

  it('answers 503 with Retry-After, not 500, while the database is unreachable', async () => {
    const nowhere = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 1000 });
    nowhere.on('error', () => undefined);
    try {
      for (const path of [
        '/api/violations',
        '/api/series',
        '/api/summary',
        '/api/violations/export?format=csv',
        '/api/violations/export?format=pdf',
        '/api/stats/spc?model=x',
      ]) {
        const res = await testApi({ pool: nowhere }).get(path).expect(503);
        expect(res.body).toEqual({ error: 'the database is unavailable; try again shortly' });
        expect(res.headers['retry-after']).toBe('5');
      }
    } finally {
      await nowhere.end();
    }
  });

  it('/metrics serves the registry it was given in the Prometheus text format', async () => {
    const { Counter } = await import('prom-client');
    const { YieldingRegistry } = await import('../../src/metrics/yieldingRegistry.js');
    const registry = new YieldingRegistry();
    new Counter({ name: 'llmscope_test_marker_total', help: 'marker', registers: [registry] }).inc(3);
    const res = await seededApi.api({ registry }).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('llmscope_test_marker_total 3');
  });

  it('sets helmet headers, keeps CORS off by default and allows only the configured origin', async () => {
    const plain = await api().get('/healthz').set('Origin', 'https://grafana.example').expect(200);
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    expect(plain.headers['x-powered-by']).toBeUndefined();
    const withCors = seededApi.api({ corsOrigin: 'https://grafana.example' });
    const preflight = await withCors
      .options('/api/violations')
      .set('Origin', 'https://grafana.example')
      .set('Access-Control-Request-Method', 'DELETE')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://grafana.example');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('limits the request rate on /api with a JSON 429', async () => {
    const limited = seededApi.api({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i += 1) await limited.get('/api/series').expect(200);
    const res = await limited.get('/api/series').expect(429);
    expect(res.body.error).toMatch(/too many requests/);
    await limited.get('/healthz').expect(200);
  });

  it('answers unknown endpoints with a JSON 404', async () => {
    const res = await api().get('/api/nothing-here').expect(404);
    expect(res.body.error).toBe('no such endpoint: GET /api/nothing-here');
  });
});
