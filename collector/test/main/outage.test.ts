// The database goes away while the collector probes at 10/s: nothing is lost, the backlog
// spills to disk when the queue is full, and everything is written in order afterwards.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { startCollector } from '../../src/main.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { capturedLogger, testConfig, waitFor } from '../helpers/collector.js';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';
import { TcpProxy, throughProxy } from '../helpers/tcpProxy.js';

// Full size (60 s) with LLMSCOPE_LONG_TESTS=1; CI runs a scaled-down outage.
const OUTAGE_MS = process.env.LLMSCOPE_LONG_TESTS === '1' ? 60_000 : 6_000;

describe('database outage while probing', () => {
  let db: TestDatabase;
  let check: pg.Pool;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    check = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 120_000);
  afterAll(async () => {
    await check.end();
    await db.drop();
  }, 60_000);

  it(`loses no sample during a ${OUTAGE_MS / 1000} s outage and reports it on /readyz`, async () => {
    const sim = new SimulatedOllama({ models: [{ name: 'm', medianMs: 15 }] });
    const simUrl = await sim.start();
    const server = new URL(db.url);
    const proxy = new TcpProxy(server.hostname, Number(server.port || 5432));
    const proxyPort = await proxy.start();
    const config = testConfig({
      collector: 'outage',
      targets: [{ name: 'outage', url: simUrl }],
      models: ['m'],
      interval: '100ms',
      database: { url: throughProxy(db.url, proxyPort).url },
      store: { queueSize: 20, flushInterval: '50ms', retryInterval: '200ms' },
    });
    const { logger, text } = capturedLogger('info');
    const collector = await startCollector({ config, logger });
    try {
      await waitFor('samples before the outage', async () => (await check.query(`SELECT count(*)::int AS n FROM samples`)).rows[0].n >= 10);
      await proxy.stop();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      expect(collector.writer.healthy).toBe(false);
      expect(collector.writer.depth).toBeGreaterThan(20); // more than the queue holds: part of it spilled
      expect(existsSync(config.store.spillFile)).toBe(true);
      const ready = await fetch(`${collector.url}/readyz`);
      expect(ready.status).toBe(503);
      await proxy.start(proxyPort);
      await waitFor('the backlog to drain', () => collector.writer.healthy && collector.writer.depth === 0, 60_000);
    } finally {
      await collector.stop();
      await sim.stop();
      await proxy.stop();
    }
    expect(text()).toMatch(/cannot write to the database .*queueing and retrying/);
    expect(text()).toMatch(/database writes resumed after \d+ s/);
    const { rows } = await check.query<{ ts: Date }>(`SELECT ts FROM samples WHERE collector = 'outage' ORDER BY id`);
    // One sample per request the simulated Ollama served, none lost, written in probe order.
    expect(rows.length).toBe(sim.requestCount('m'));
    const times = rows.map((r) => r.ts.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(existsSync(config.store.spillFile)).toBe(false);
  }, 180_000);
});
