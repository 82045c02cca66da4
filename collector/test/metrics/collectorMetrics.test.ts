import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { register as globalRegistry, Registry } from 'prom-client';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { RULES } from '@llmscope/spc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { createCollectorMetrics, LLM_LATENCY_BUCKETS_SECONDS } from '../../src/metrics/collectorMetrics.js';
import type { RecordedSample, SeriesKey } from '../../src/pipeline/observer.js';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';

// Real Postgres on a shared CI machine: give each test room; none asserts on speed.
vi.setConfig({ testTimeout: 30_000 });

const run = promisify(execFile);
const A: SeriesKey = { target: 'local', model: 'llama3.2:1b', probe: 'short' };
const B: SeriesKey = { target: 'gpu-box', model: 'qwen2.5:7b', probe: 'long' };

function sample(series: SeriesKey, over: Partial<RecordedSample>): RecordedSample {
  return {
    uid: randomUUID(),
    ts: new Date().toISOString(),
    collector: 'test',
    provider: 'ollama',
    ...series,
    promptHash: 'sha256:abc',
    prompt: null,
    status: 'ok',
    error: null,
    coldStart: false,
    latencyMs: 812,
    ttftMs: 95,
    totalDurationMs: 800,
    loadDurationMs: 2,
    promptEvalCount: 26,
    promptEvalDurationMs: 40,
    evalCount: 48,
    evalDurationMs: 700,
    tokensPerSecond: 68.57,
    cpuPercent: 30,
    memoryPercent: 55,
    gpuPercent: 80,
    gpuMemoryPercent: 40,
    spcCenterMs: 800,
    spcSigmaMs: 64,
    spcUclMs: 1017,
    spcLclMs: 629,
    ...over,
  } as RecordedSample;
}

async function values(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  return metric.values as { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

function observeEverything(registry: Registry) {
  const observer = createCollectorMetrics(registry);
  observer.seriesKnown(A);
  observer.seriesKnown(B);
  observer.sampleRecorded(A, sample(A, {}));
  observer.sampleRecorded(A, sample(A, { latencyMs: 1500, ttftMs: 300, tokensPerSecond: 40 }));
  observer.sampleRecorded(A, sample(A, { status: 'timeout', latencyMs: 30_000, ttftMs: null, tokensPerSecond: null }));
  observer.sampleRecorded(
    B,
    sample(B, { status: 'error', latencyMs: 3, spcCenterMs: null, spcUclMs: null, spcLclMs: null, spcSigmaMs: null }),
  );
  observer.violationOpened(A, 'R1', 'critical');
  observer.violationOpened(A, 'R1', 'critical');
  observer.violationOpened(A, 'EWMA', 'warning');
  observer.activeViolationsChanged(A, 2);
  observer.hostTelemetry({
    cpuRatio: 0.42,
    memoryRatio: 0.61,
    gpus: [
      {
        index: 0,
        name: 'NVIDIA H100',
        utilizationRatio: 0.93,
        memoryUsedBytes: 12 * 2 ** 30,
        memoryTotalBytes: 80 * 2 ** 30,
        temperatureCelsius: 61,
        powerWatts: 310,
      },
      {
        index: 1,
        name: 'NVIDIA H100',
        utilizationRatio: null,
        memoryUsedBytes: null,
        memoryTotalBytes: null,
        temperatureCelsius: null,
        powerWatts: null,
      },
    ],
  });
  observer.storeQueueDepth(17);
  return observer;
}

describe('createCollectorMetrics', () => {
  it('starts a violation counter at 0 for every known series and rule, with the rule severity', async () => {
    const registry = new Registry();
    const observer = createCollectorMetrics(registry);
    observer.seriesKnown(A);
    observer.seriesKnown(B);
    const counters = await values(registry, 'llmscope_spc_violations_total');
    expect(counters).toHaveLength(2 * RULES.length);
    expect(counters.every((c) => c.value === 0)).toBe(true);
    for (const rule of RULES) {
      const child = counters.find((c) => c.labels.rule === rule.id && c.labels.model === A.model)!;
      expect(child.labels).toEqual({ ...A, rule: rule.id, severity: rule.severity });
    }
    const requests = await values(registry, 'llmscope_probe_requests_total');
    expect(requests.map((r) => `${r.labels.model}/${r.labels.status}=${r.value}`).sort()).toEqual(
      [
        `${A.model}/error=0`,
        `${A.model}/ok=0`,
        `${A.model}/suspect=0`,
        `${A.model}/timeout=0`,
        `${B.model}/error=0`,
        `${B.model}/ok=0`,
        `${B.model}/suspect=0`,
        `${B.model}/timeout=0`,
      ].sort(),
    );
  });

  it('records durations in seconds for successful probes and counts every outcome', async () => {
    const registry = new Registry();
    observeEverything(registry);
    const duration = await values(registry, 'llmscope_probe_duration_seconds');
    const countA = duration.find((v) => v.metricName === 'llmscope_probe_duration_seconds_count' && v.labels.model === A.model)!;
    const sumA = duration.find((v) => v.metricName === 'llmscope_probe_duration_seconds_sum' && v.labels.model === A.model)!;
    expect(countA.value).toBe(2);
    expect(sumA.value).toBeCloseTo(0.812 + 1.5, 9);
    const le1 = duration.find(
      (v) => v.metricName === 'llmscope_probe_duration_seconds_bucket' && v.labels.model === A.model && v.labels.le === 1.28,
    )!;
    expect(le1.value).toBe(1);
    expect(LLM_LATENCY_BUCKETS_SECONDS[0]).toBe(0.01);
    expect(LLM_LATENCY_BUCKETS_SECONDS.at(-1)).toBeCloseTo(81.92, 9);
    const ttft = await values(registry, 'llmscope_probe_ttft_seconds');
    expect(ttft.find((v) => v.metricName === 'llmscope_probe_ttft_seconds_sum' && v.labels.model === A.model)!.value).toBeCloseTo(0.395, 9);
    const requests = await values(registry, 'llmscope_probe_requests_total');
    const count = (model: string, status: string) => requests.find((r) => r.labels.model === model && r.labels.status === status)!.value;
    expect([count(A.model, 'ok'), count(A.model, 'timeout'), count(A.model, 'error'), count(B.model, 'error')]).toEqual([2, 1, 0, 1]);
    expect((await values(registry, 'llmscope_probe_tokens_per_second')).find((v) => v.labels.model === A.model)!.value).toBe(40);
  });

  it('exports the limits in force in seconds, episodes, active violations, host, GPU and queue gauges', async () => {
    const registry = new Registry();
    observeEverything(registry);
    const one = async (name: string, labels: Record<string, string> = {}) =>
      (await values(registry, name)).find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))!.value;
    expect(await one('llmscope_spc_center_seconds', { model: A.model })).toBeCloseTo(0.8, 9);
    expect(await one('llmscope_spc_upper_limit_seconds', { model: A.model })).toBeCloseTo(1.017, 9);
    expect(await one('llmscope_spc_lower_limit_seconds', { model: A.model })).toBeCloseTo(0.629, 9);
    expect((await values(registry, 'llmscope_spc_center_seconds')).some((v) => v.labels.model === B.model)).toBe(false);
    expect(await one('llmscope_spc_violations_total', { model: A.model, rule: 'R1' })).toBe(2);
    expect(await one('llmscope_spc_violations_total', { model: A.model, rule: 'EWMA' })).toBe(1);
    expect(await one('llmscope_spc_violations_total', { model: B.model, rule: 'R1' })).toBe(0);
    expect(await one('llmscope_spc_active_violations', { model: A.model })).toBe(2);
    expect(await one('llmscope_spc_active_violations', { model: B.model })).toBe(0);
    expect(await one('llmscope_host_cpu_utilization_ratio')).toBe(0.42);
    expect(await one('llmscope_host_memory_utilization_ratio')).toBe(0.61);
    expect(await one('llmscope_gpu_utilization_ratio', { gpu: '0' })).toBe(0.93);
    expect((await values(registry, 'llmscope_gpu_utilization_ratio')).some((v) => v.labels.gpu === '1')).toBe(false);
    expect(await one('llmscope_gpu_memory_used_bytes', { gpu: '0' })).toBe(12 * 2 ** 30);
    expect(await one('llmscope_store_queue_depth')).toBe(17);
  });

  it('touches only the registry it is given', async () => {
    const first = new Registry();
    const second = new Registry();
    observeEverything(first);
    createCollectorMetrics(second);
    const globalNames = (await globalRegistry.getMetricsAsJSON()).map((m) => m.name);
    expect(globalNames.filter((n) => n.startsWith('llmscope_'))).toEqual([]);
    expect((await values(second, 'llmscope_spc_violations_total')).filter((v) => v.value !== 0)).toEqual([]);
    const names = (await second.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('llmscope_process_cpu_seconds_total');
    expect(names).toContain('llmscope_nodejs_active_handles');
    expect(names.filter((n) => /^llmscope_nodejs_active_\w+_total$/.test(n))).toEqual([]);
  });
});

describe('GET /metrics on the running HTTP server', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let server: RunningHttpServer;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const registry = new YieldingRegistry();
    observeEverything(registry);
    server = await startHttpServer({
      config: { http: { host: '127.0.0.1', port: 0 } },
      pool,
      registry,
      logger: pino({ level: 'silent' }),
      pipeline: { resetBaselines: async () => 0 },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await pool?.end();
    await db?.drop();
  });

  it('passes `promtool check metrics` with nothing to report', async () => {
    const scrape = await fetch(`${server.url}/metrics`);
    expect(scrape.status).toBe(200);
    const body = await scrape.text();
    expect(body).toContain('llmscope_probe_duration_seconds_bucket{le="81.92",target="local",model="llama3.2:1b",probe="short"} 2');
    expect(body).toContain(
      'llmscope_spc_violations_total{target="gpu-box",model="qwen2.5:7b",probe="long",rule="CUSUM",severity="warning"} 0',
    );
    const check = execFile('/usr/bin/promtool', ['check', 'metrics']);
    const result = new Promise<{ code: number | null; output: string }>((resolve) => {
      let output = '';
      check.stdout?.on('data', (d) => (output += d));
      check.stderr?.on('data', (d) => (output += d));
      check.on('close', (code) => resolve({ code, output }));
    });
    check.stdin?.end(body);
    const { code, output } = await result;
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('is served beside the API by the same server', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    await expect(run('/usr/bin/promtool', ['--version'])).resolves.toBeTruthy();
  });
});
