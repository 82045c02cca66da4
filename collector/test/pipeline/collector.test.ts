import { createServer } from 'node:net';
import { VIOLATION_RECORD_COLUMNS } from '@llmscope/contract';
import { describe, expect, it } from 'vitest';
import { startCollector } from '../../src/main.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { capturedLogger, testConfig, waitFor } from '../helpers/collector.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the collector end to end (real Postgres, simulated Ollama over HTTP)', () => {
  const db = useMigratedDatabase();

  it('says clearly that no Ollama answers, keeps retrying, and starts probing once one does', async () => {
    const port = await freePort();
    const { logger, text } = capturedLogger();
    const config = testConfig({
      collector: 'retry',
      targets: [{ url: `http://127.0.0.1:${port}` }],
      interval: '50ms',
      discoveryInterval: '200ms',
      database: { url: db.url },
    });
    const collector = await startCollector({ config, logger });
    const sim = new SimulatedOllama({ models: [{ name: 'late:1b', medianMs: 10 }] });
    try {
      expect(collector.pipeline.seriesCount).toBe(0);
      expect(text()).toContain(`no Ollama answers at http://127.0.0.1:${port}; retrying every 200ms`);
      expect(text()).toMatch(/llmscope collector ready on http:\/\/127\.0\.0\.1:\d+ \(0 series, database /);
      await new Promise((r) => setTimeout(r, 500));
      // Warned once, not once per retry.
      expect(text().split(`retrying every 200ms`).length - 1).toBe(1);
      await sim.start(port);
      await waitFor('samples from the late Ollama', async () => {
        const { rows } = await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE collector = 'retry' AND status = 'ok'`);
        return rows[0].n >= 5;
      });
      expect(text()).toContain(`Ollama at http://127.0.0.1:${port} answers with 1 model(s): late:1b`);
      const metrics = await (await fetch(`${collector.url}/metrics`)).text();
      expect(metrics).toContain('llmscope_');
    } finally {
      const started = Date.now();
      await collector.stop();
      expect(Date.now() - started).toBeLessThan(10_000);
      await sim.stop();
    }
  }, 30_000);

  it('records every fault as one sample, and a restart carries the SPC state on without duplicates', async () => {
    const sim = new SimulatedOllama({
      models: [{ name: 'steady', medianMs: 50, loadMs: 200 }],
      schedule: {
        incidents: [
          { kind: 'spike', from: 35, to: 37, factor: 6 },
          { kind: 'shift', from: 50, to: 10_000, factor: 2 },
        ],
        faults: [
          { kind: 'http500', at: 22 },
          { kind: 'garbage', at: 24 },
          { kind: 'truncate', at: 26 },
          { kind: 'hang', at: 28 },
          { kind: 'error-field', at: 30 },
          { kind: 'no-tokens', at: 32 },
          { kind: 'reset', at: 34 },
        ],
      },
    });
    const url = await sim.start();
    const config = testConfig({
      collector: 'restart',
      targets: [{ name: 'sim', url }],
      models: ['steady'],
      // Latencies well above the timer jitter of a busy test machine.
      interval: '80ms',
      timeout: '2s',
      spc: { baselineSize: 30, minPoints: 20 },
      database: { url: db.url },
    });
    const { logger } = capturedLogger('warn');
    const first = await startCollector({ config, logger });
    await waitFor('the sustained shift to be under way', () => sim.requestCount('steady') >= 70);
    await first.stop();
    const restartedAt = new Date();
    const second = await startCollector({ config, logger });
    await waitFor('probes after the restart', () => sim.requestCount('steady') >= 100);
    await second.stop();
    await sim.stop();

    const statuses = await db.check.query<{ status: string; error: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM samples WHERE collector = 'restart' GROUP BY status ORDER BY status`,
    );
    // Seven faults, each exactly one sample: six errors and one timeout (the hang).
    expect(Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]))).toMatchObject({ error: 6, timeout: 1 });
    const total = statuses.rows.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(sim.requestCount('steady'));

    // Errors carry no tokens and stay out of SPC; ok samples after minPoints carry the limits in force.
    const limits = await db.check.query(
      `SELECT count(*) FILTER (WHERE status = 'ok' AND spc_center IS NULL)::int AS ok_without, count(*) FILTER (WHERE status = 'ok')::int AS ok
       FROM samples WHERE collector = 'restart'`,
    );
    expect(limits.rows[0].ok_without).toBe(20);

    // One baseline: the restarted collector restored the frozen limits instead of collecting new ones.
    const baselines = await db.check.query(`SELECT count(*)::int AS n FROM baselines WHERE target = 'sim'`);
    expect(baselines.rows[0].n).toBe(1);

    // The spike is one R1 episode of 2 points, with every violation record column filled.
    const r1 = await db.check.query(`SELECT * FROM violations WHERE target = 'sim' AND rule = 'R1' ORDER BY "timestamp" LIMIT 1`);
    expect(r1.rows[0]).toBeDefined();
    for (const column of VIOLATION_RECORD_COLUMNS.filter((c) => c !== 'gpu_percent')) {
      expect(r1.rows[0][column], column).not.toBeNull();
    }
    expect(r1.rows[0].latency_ms).toBeGreaterThan(r1.rows[0].ucl);

    // The shift's R2 run spans the restart: still one episode, extended by the second collector.
    const r2 = await db.check.query<{ timestamp: Date; last_seen_at: Date; points: number }>(
      `SELECT "timestamp", last_seen_at, points FROM violations WHERE target = 'sim' AND rule = 'R2' AND "timestamp" < $1`,
      [restartedAt],
    );
    const spanning = r2.rows.filter((r) => r.last_seen_at > restartedAt);
    expect(spanning).toHaveLength(1);
    expect(spanning[0]!.points).toBeGreaterThan(20);
    const duplicates = await db.check.query(`SELECT sample_id, rule FROM violations GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(duplicates.rows).toEqual([]);
  }, 60_000);
  it('resetBaselines() starts Phase I again for the matching series only', async () => {
    const sim = new SimulatedOllama({
      models: [
        { name: 'a', medianMs: 20 },
        { name: 'b', medianMs: 20 },
      ],
    });
    const url = await sim.start();
    const config = testConfig({
      collector: 'reset',
      targets: [{ name: 'reset-target', url }],
      models: ['a', 'b'],
      interval: '40ms',
      spc: { baselineSize: 25, minPoints: 20 },
      database: { url: db.url },
    });
    const collector = await startCollector({ config, logger: capturedLogger('warn').logger });
    const active = async () =>
      (
        await db.check.query<{ id: string; model: string; active: boolean }>(
          `SELECT id, model, active FROM baselines WHERE target = 'reset-target' ORDER BY id`,
        )
      ).rows;
    try {
      await waitFor('both baselines', async () => (await active()).filter((r) => r.active).length === 2);
      const before = await active();
      expect(await collector.pipeline.resetBaselines({ target: 'reset-target', model: 'a' })).toBe(1);
      expect(await collector.pipeline.resetBaselines({ model: 'nope' })).toBe(0);
      await collector.writer.flush();
      // Judged by the rows that existed before the reset: on a slow machine a's new Phase I
      // (25 points at 40 ms) may already have frozen its next baseline by now.
      const after = new Map((await active()).map((r) => [r.id, r.active]));
      expect(before.map((r) => [r.model, after.get(r.id)]).sort()).toEqual([
        ['a', false],
        ['b', true],
      ]);
      // A new Phase I: 20 points without limits, then a new baseline for a.
      await waitFor('a new baseline for a', async () => (await active()).filter((r) => r.model === 'a' && r.active).length === 1);
      const without = await db.check.query(
        `SELECT count(*)::int AS n FROM samples WHERE collector = 'reset' AND model = 'a' AND status = 'ok' AND spc_center IS NULL`,
      );
      expect(without.rows[0].n).toBe(40);
    } finally {
      await collector.stop();
      await sim.stop();
    }
  }, 60_000);
  it('makes one series per target × model × probe, hashes prompts, and stores their text only when asked', async () => {
    const sim = new SimulatedOllama({
      models: [
        { name: 'x', medianMs: 10 },
        { name: 'y', medianMs: 10 },
      ],
    });
    const url = await sim.start();
    const probes: { name: string; prompt: string; options: Record<string, number> }[] = [
      { name: 'short', prompt: 'Say hi.', options: { num_predict: 4 } },
      { name: 'long', prompt: 'Write two sentences about control charts.', options: { num_predict: 12, temperature: 0, seed: 7 } },
    ];
    const run = async (collectorName: string, storePrompts: boolean) => {
      const config = testConfig({
        collector: collectorName,
        targets: [{ name: `t-${collectorName}`, url }],
        probes,
        interval: '60ms',
        storePrompts,
        database: { url: db.url },
      });
      const collector = await startCollector({ config, logger: capturedLogger('warn').logger });
      expect(collector.pipeline.seriesCount).toBe(4);
      await waitFor('samples of every series', async () => {
        const { rows } = await db.check.query(`SELECT count(DISTINCT (model, probe))::int AS n FROM samples WHERE collector = $1`, [
          collectorName,
        ]);
        return rows[0].n === 4;
      });
      await collector.stop();
      return (
        await db.check.query(
          `SELECT DISTINCT model, probe, prompt_hash, prompt, eval_count FROM samples WHERE collector = $1 AND status = 'ok' ORDER BY model, probe`,
          [collectorName],
        )
      ).rows;
    };
    try {
      const hashed = await run('hash-only', false);
      expect(hashed.map((r) => [r.model, r.probe, r.eval_count])).toEqual([
        ['x', 'long', 12],
        ['x', 'short', 4],
        ['y', 'long', 12],
        ['y', 'short', 4],
      ]);
      expect(hashed.every((r) => r.prompt === null && /^[0-9a-f]{64}$/.test(r.prompt_hash))).toBe(true);
      expect(new Set(hashed.map((r) => r.prompt_hash)).size).toBe(2);
      const stored = await run('with-prompts', true);
      expect(stored.find((r) => r.probe === 'short')?.prompt).toBe('Say hi.');
    } finally {
      await sim.stop();
    }
  }, 60_000);
  it('probes an OpenAI-compatible server found through /v1/models', async () => {
    const sim = new SimulatedOllama({ models: [{ name: 'served-model', medianMs: 10 }] });
    const url = await sim.start();
    const config = testConfig({
      collector: 'openai',
      targets: [{ name: 'vllm', url: `${url}/v1`, provider: 'openai' }],
      interval: '50ms',
      database: { url: db.url },
    });
    const collector = await startCollector({ config, logger: capturedLogger('warn').logger });
    try {
      expect(collector.pipeline.seriesKeys).toEqual([{ target: 'vllm', model: 'served-model', probe: 'default' }]);
      await waitFor(
        'OpenAI samples',
        async () => (await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE collector = 'openai'`)).rows[0].n >= 3,
      );
    } finally {
      await collector.stop();
      await sim.stop();
    }
    const { rows } = await db.check.query(
      `SELECT provider, status, eval_count, eval_duration_ms, tokens_per_second, ttft_ms FROM samples WHERE collector = 'openai' LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ provider: 'openai', status: 'ok', eval_count: 24, eval_duration_ms: null, tokens_per_second: null });
    expect(rows[0].ttft_ms).toBeGreaterThan(0);
  }, 60_000);
});
