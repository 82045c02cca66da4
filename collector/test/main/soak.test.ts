// Many probes through the whole collector against the simulated Ollama, faults included:
// every probe is stored and memory does not grow with the probe count.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../src/main.js';
import { FAULT_KINDS } from '../../src/simulator/schedule.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { capturedLogger, testConfig, waitFor } from '../helpers/collector.js';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';

// The full soak with LLMSCOPE_LONG_TESTS=1; CI runs a scaled-down one.
const PROBES = process.env.LLMSCOPE_LONG_TESTS === '1' ? 10_000 : 2_000;
const MODELS = 10;
const MIB = 1024 * 1024;

describe(`soak: ${PROBES} probes`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db.drop();
  }, 60_000);

  it('stores one sample per probe and keeps memory flat', async () => {
    const names = Array.from({ length: MODELS }, (_, i) => `soak-${i}`);
    const sim = new SimulatedOllama({
      models: names.map((name) => ({ name, medianMs: 3, loadMs: 5 })),
      // Every fault kind, every 50 requests per model.
      schedule: { incidents: [], faults: FAULT_KINDS.map((kind, i) => ({ kind, at: 20 + i * 5, every: 50 })) },
    });
    const url = await sim.start();
    const config = testConfig({ collector: 'soak', targets: [{ name: 'soak', url }], models: names, interval: '20ms', timeout: '200ms', database: { url: db.url } });
    const collector = await startCollector({ config, logger: capturedLogger('warn').logger });
    const served = () => names.reduce((n, name) => n + sim.requestCount(name), 0);
    let rssStart = 0;
    try {
      await waitFor('warm-up', () => served() >= PROBES / 10, 120_000);
      rssStart = process.memoryUsage().rss;
      await waitFor(`${PROBES} probes`, () => served() >= PROBES, 600_000);
    } finally {
      await collector.stop();
      await sim.stop();
    }
    const rssEnd = process.memoryUsage().rss;
    console.log(`soak: ${served()} probes; RSS ${(rssStart / MIB).toFixed(1)} MiB after warm-up, ${(rssEnd / MIB).toFixed(1)} MiB at the end`);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT status, count(*)::int AS n FROM samples GROUP BY status`);
      const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      expect(rows.reduce((n, r) => n + r.n, 0)).toBe(served());
      expect(byStatus.timeout).toBeGreaterThan(0);
      expect(byStatus.error).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    // Generous: the point is no growth proportional to the probe count.
    expect(rssEnd - rssStart).toBeLessThan(150 * MIB);
  }, 900_000);
});
