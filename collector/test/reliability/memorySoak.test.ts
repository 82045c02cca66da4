// Promise: memory stays flat however long the collector probes. The built collector runs in
// a child process with --expose-gc (soakChild.mjs) against the simulated Ollama, 12 series,
// spikes (violation episodes) and HTTP 500s, until SOAK_PROBES samples are recorded.
// CI: 2 000 probes; LLMSCOPE_FULL_SOAK=1: 10 000.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { scaled } from './size.js';

const CHILD = fileURLToPath(new URL('./soakChild.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const PROBES = scaled({ ci: 2000, full: 10_000 });
/** Heap (after GC) may grow this much between the end of the warm-up and the end. */
const HEAP_GROWTH_LIMIT = 4 * 1024 * 1024;
const RSS_GROWTH_LIMIT = 32 * 1024 * 1024;
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Memory {
  rss: number;
  heapUsed: number;
}
interface SoakReport {
  start: Memory;
  afterWarmup: Memory;
  warmupProbes: number;
  end: Memory;
  endProbes: number;
  probes: number;
  seconds: number;
}

describe(`memory over a ${PROBES}-probe soak against the simulated Ollama`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db.drop();
  }, 60_000);

  it(
    'stays flat after warm-up, and every probe is written',
    async () => {
      expect(existsSync(DIST), 'collector/dist is missing: run `npm run build:node` first').toBe(true);
      const child = spawn(process.execPath, ['--expose-gc', CHILD], {
        env: { ...process.env, DATABASE_URL: db.url, SOAK_PROBES: String(PROBES) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, stderr).toBe(0);
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as SoakReport;

      const heapGrowth = report.end.heapUsed - report.afterWarmup.heapUsed;
      const rssGrowth = report.end.rss - report.afterWarmup.rss;
      const measured = report.endProbes - report.warmupProbes;
      console.log(
        `memory soak: ${report.probes} probes in ${report.seconds.toFixed(0)} s; RSS start ${MB(report.start.rss)}, after warm-up (${report.warmupProbes} probes) ${MB(report.afterWarmup.rss)}, end ${MB(report.end.rss)}; ` +
          `heap after GC ${MB(report.afterWarmup.heapUsed)} → ${MB(report.end.heapUsed)} (${(heapGrowth / measured).toFixed(0)} bytes/probe over ${measured} probes)`,
      );
      expect(report.probes).toBeGreaterThanOrEqual(PROBES);
      expect(heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT);
      expect(rssGrowth).toBeLessThan(RSS_GROWTH_LIMIT);
      // Node's leak warning (listeners piling up on a long-lived signal) and error lines would be here.
      expect(stderr).not.toMatch(/MaxListenersExceeded|"level":(50|60)/);

      const check = new pg.Pool({ connectionString: db.url, max: 1 });
      try {
        const { rows } = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE collector = 'soak'`);
        expect(rows[0]!.n).toBe(report.probes);
      } finally {
        await check.end();
      }
    },
    scaled({ ci: 300_000, full: 900_000 }),
  );
});
