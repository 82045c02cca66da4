// Promise: SIGTERM flushes the store queue and closes the pool within 10 s, exit code 0.
// The writer is configured to hold everything in its queue (an hour between flushes, a batch
// larger than the run), so what reaches the table can only have been written by the stop.
// (test/main/crash.test.ts also checks exit 0 within 10 s after a restart.)
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { waitFor } from '../helpers/collector.js';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';
import { DIST, runCli } from '../helpers/cliProcess.js';

const STOP_BUDGET_MS = 10_000;

describe('graceful stop on SIGTERM', () => {
  let db: TestDatabase;
  let check: pg.Pool;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    check = new pg.Pool({ connectionString: db.url, max: 1 });
  }, 120_000);
  afterAll(async () => {
    await check.end();
    await db.drop();
  }, 60_000);

  it('writes the whole queue, closes its connections and exits 0 within 10 s', async () => {
    expect(existsSync(DIST), 'collector/dist is missing: run `npm run build:node` first').toBe(true);
    const sim = new SimulatedOllama({
      models: [
        { name: 'a', medianMs: 10 },
        { name: 'b', medianMs: 10 },
      ],
    });
    const simUrl = await sim.start();
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-stop-'));
    const spillFile = join(dir, 'spill.ndjson');
    const configFile = join(dir, 'config.yaml');
    writeFileSync(
      configFile,
      `collector: graceful
interval: 50ms
timeout: 2s
store: { spillFile: ${JSON.stringify(spillFile)}, flushInterval: 1h, batchSize: 10000, queueSize: 100000 }
telemetry: { gpu: false }
`,
    );
    const collector = runCli(['start', '--config', configFile], {
      ...process.env,
      DATABASE_URL: db.url,
      OLLAMA_HOST: simUrl,
      LLMSCOPE_PORT: '0',
      LLMSCOPE_LOG_LEVEL: 'info',
    });
    const connections = async () =>
      (
        await check.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('llmscope-writer', 'llmscope-api')`,
        )
      ).rows[0]!.n;
    const samples = async () => (await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples`)).rows[0]!.n;
    try {
      const base = (await collector.waitForOutput(/llmscope collector ready on (http:\/\/[^ ]+)/))[1]!;
      const queueDepth = async () => Number(/^llmscope_store_queue_depth (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1]);
      const depth = await waitFor(
        'a backlog of 100 groups in the queue',
        async () => ((await queueDepth()) >= 100 ? queueDepth() : false),
        60_000,
      );
      expect(await samples()).toBe(0);
      expect(await connections()).toBeGreaterThan(0);

      const signalledAt = Date.now();
      collector.child.kill('SIGTERM');
      expect(await collector.exited).toBe(0);
      const tookMs = Date.now() - signalledAt;
      console.log(`graceful stop: ${depth}+ queued groups written and the pool closed in ${tookMs} ms`);
      expect(tookMs).toBeLessThan(STOP_BUDGET_MS);
    } finally {
      collector.child.kill('SIGKILL');
      await sim.stop();
    }
    // Every probe the simulator answered is a row: nothing was left in memory or in the spill file.
    expect(await samples()).toBe(sim.requestCount('a') + sim.requestCount('b'));
    expect(existsSync(spillFile)).toBe(false);
    expect(await connections()).toBe(0);
    // The log shows the order: stop requested, flushed and pool closed ("stopped" comes after pool.end()).
    expect(collector.output()).toMatch(
      /SIGTERM received[\s\S]*stopping: finishing probes in flight and flushing the store[\s\S]*"msg":"stopped"/,
    );
    expect(collector.output()).not.toMatch(/"level":(50|60)|flush timed out/);
  }, 120_000);
});
