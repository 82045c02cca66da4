// The API and /metrics of the real collector (pipeline, writer, metrics) probing the simulated
// Ollama of `llmscope demo`: what an SRE sees while the demo runs.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { startCollector, type RunningCollector } from '../../src/main.js';
import { demoModels, demoSchedule } from '../../src/simulator/demoSchedule.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// Real Postgres on a shared CI machine: give each test room; none asserts on speed.
vi.setConfig({ testTimeout: 30_000 });

const { default: pdfParse } = (await import('pdf-parse/lib/pdf-parse.js')) as {
  default: (data: Buffer) => Promise<{ text: string }>;
};

const INTERVAL_MS = 40;
const TOKEN = 'live-test-token-0123';
let db: TestDatabase;
let simulator: SimulatedOllama;
let collector: RunningCollector;
let spillDir: string;

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  spillDir = await mkdtemp(join(tmpdir(), 'llmscope-live-'));
  simulator = new SimulatedOllama({ models: demoModels(INTERVAL_MS), schedule: demoSchedule(), seed: 2026 });
  const simulatorUrl = await simulator.start();
  const config = configSchema.parse({
    collector: 'live-test',
    targets: [{ name: 'sim', url: simulatorUrl }],
    models: demoModels(INTERVAL_MS).map((m) => m.name),
    interval: `${INTERVAL_MS}ms`,
    timeout: '1000ms',
    spc: { baselineSize: 40 },
    http: { host: '127.0.0.1', port: 0, apiToken: TOKEN },
    store: { spillFile: join(spillDir, 'spill.ndjson') },
    database: { url: db.url },
    telemetry: { psInterval: '500ms', gpu: false },
  });
  collector = await startCollector({ config, logger: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await collector?.stop();
  await simulator?.stop();
  await db?.drop();
  if (spillDir) await rm(spillDir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${collector.url}${path}`, init);

describe('the running collector', () => {
  let r1: { id: number; model: string };

  it('lists R1 violations once the simulated spike has happened', async () => {
    r1 = await poll('an R1 violation', async () => {
      const res = await get('/api/violations?rule=R1');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { violations: { id: number; model: string; rule: string }[] };
      expect(body.violations.every((v) => v.rule === 'R1')).toBe(true);
      return body.violations[0];
    });
    expect(r1.id).toBeGreaterThan(0);
  }, 90_000);

  it('shows the detail of that violation with its context and window', async () => {
    const res = await get(`/api/violations/${r1.id}`);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as {
      violation: { rule: string };
      sample: { latency_ms: number; eval_count: number | null };
      context: { offset: number }[];
      window: { points: { offset: number; is_violation: boolean }[]; limits: { ucl: number; lcl: number } | null };
    };
    expect(detail.violation.rule).toBe('R1');
    expect(detail.sample.latency_ms).toBeGreaterThan(0);
    expect(detail.context.some((c) => c.offset === -10)).toBe(true);
    // How many points follow depends on how soon after the spike we asked; those before are there.
    expect(detail.window.points.length).toBeLessThanOrEqual(61);
    expect(detail.window.points.filter((p) => p.offset < 0).length).toBeGreaterThanOrEqual(20);
    expect(detail.window.points.find((p) => p.offset === 0)!.is_violation).toBe(true);
    expect(detail.window.limits!.ucl).toBeGreaterThan(detail.window.limits!.lcl);
  });

  it('exports the violations as CSV and PDF', async () => {
    const csv = await (await get('/api/violations/export?format=csv&rule=R1')).text();
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.some((r) => Number(r.id) === r1.id && r.model === r1.model)).toBe(true);
    const pdf = await get('/api/violations/export?format=pdf&rule=R1');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { text } = await pdfParse(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('rule: R1');
    expect(text).toContain(r1.model);
  });

  it('serves /metrics that promtool accepts, with the episodes counted', async () => {
    const body = await (await get('/metrics')).text();
    const r1Count = [...body.matchAll(/^llmscope_spc_violations_total\{[^}]*rule="R1"[^}]*\} (\d+)$/gm)].reduce(
      (a, m) => a + Number(m[1]),
      0,
    );
    expect(r1Count).toBeGreaterThanOrEqual(1);
    expect(body).toMatch(/^llmscope_probe_requests_total\{[^}]*status="ok"[^}]*\} [1-9]/m);
    const output = await new Promise<string>((resolve) => {
      const check = execFile('/usr/bin/promtool', ['check', 'metrics'], (_err, stdout, stderr) => resolve(stdout + stderr));
      check.stdin?.end(body);
    });
    expect(output).toBe('');
  });

  it('refuses an unauthenticated DELETE and resets baselines through the real pipeline', async () => {
    const refused = await get('/api/violations', { method: 'DELETE' });
    expect(refused.status).toBe(401);
    const still = (await (await get('/api/violations?rule=R1')).json()) as { violations: unknown[] };
    expect(still.violations.length).toBeGreaterThanOrEqual(1);
    const reset = await get('/api/baselines/reset', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'sim' }),
    });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ reset: demoModels(INTERVAL_MS).length });
    expect((await get('/readyz')).status).toBe(200);
  });
});
