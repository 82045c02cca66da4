import { VIOLATION_RECORD_COLUMNS } from '@llmscope/contract';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/runDemo.js';
import { capturedLogger } from '../helpers/collector.js';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';

// The simulated host has no GPU, so gpu_percent stays empty.
const ROADMAP_COLUMNS = VIOLATION_RECORD_COLUMNS.filter((column) => column !== 'gpu_percent');

describe('llmscope demo (scaled down: 50 ms interval for 15 s)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db.drop();
  }, 60_000);

  it('stores ok samples, an R1 violation with every violation record column, and violations of other rules', async () => {
    const printed: string[] = [];
    const { logger } = capturedLogger('warn');
    const summary = await runDemo({
      intervalMs: 50,
      durationMs: 15_000,
      port: 0,
      databaseUrl: db.url,
      progressEveryMs: 3000,
      // This test is about the demo's incidents and faults, not the collector's own lag on a loaded
      // test machine (20 probes/s in the test process): suspect samples have their own test.
      suspectLoopLagMs: 10_000,
      logger,
      print: (line) => printed.push(line),
    });
    expect(summary.samples.ok).toBeGreaterThanOrEqual(100);
    expect(summary.samples.error + summary.samples.timeout).toBeGreaterThan(0);
    expect(summary.violations.R1).toBeGreaterThanOrEqual(1);
    expect(Object.keys(summary.violations).filter((rule) => rule !== 'R1').length).toBeGreaterThanOrEqual(1);
    expect(printed.filter((l) => /^demo \d+s: samples \d+ ok/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(printed.at(-2)).toMatch(/^demo finished: stored \d+ ok/);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT * FROM violations WHERE rule = 'R1' ORDER BY id`);
      const complete = rows.filter((row) => ROADMAP_COLUMNS.every((c) => row[c] !== null && row[c] !== undefined));
      expect(complete.length).toBeGreaterThanOrEqual(1);
      const r1 = complete[0];
      expect(r1.latency_ms > r1.ucl || r1.latency_ms < r1.lcl).toBe(true);
      expect(r1.lcl).toBeLessThan(r1.mean);
      expect(r1.mean).toBeLessThan(r1.ucl);
      expect(r1.severity).toBe('critical');
      // The simulated faults became samples with their causes.
      const errors = await client.query(`SELECT DISTINCT status FROM samples WHERE status <> 'ok'`);
      expect(errors.rows.map((r) => r.status).sort()).toEqual(['error', 'timeout']);
    } finally {
      await client.end();
    }
  }, 60_000);
});
