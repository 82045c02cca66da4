// Promise: a Postgres outage loses no sample and no violation. The collector keeps probing,
// queues in a bounded buffer that spills its oldest groups to the local NDJSON file, says so
// on /readyz and llmscope_store_queue_depth, and writes everything in order once it is back.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../src/main.js';
import { silentObserver, type PipelineObserver } from '../../src/pipeline/observer.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { capturedLogger, testConfig, waitFor } from '../helpers/collector.js';
import { migrateTestDatabase } from '../helpers/database.js';
import { startKillablePostgres, type KillablePostgres } from './killablePostgres.js';
import { FULL_SIZE, scaled } from './size.js';

const OUTAGE_MS = scaled({ ci: 15_000, full: 60_000 });
const QUEUE_SIZE = 10;

/** The pipeline's own account of what it produced, to compare with what reached the tables. */
function recordingObserver() {
  const uids = new Map<string, string[]>();
  let opened = 0;
  const observer: PipelineObserver = {
    ...silentObserver,
    sampleRecorded: (series, sample) => {
      const list = uids.get(series.model) ?? [];
      list.push(sample.uid);
      uids.set(series.model, list);
    },
    violationOpened: () => {
      opened++;
    },
  };
  return { observer, uids, opened: () => opened };
}

function gauge(metrics: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  if (!match) throw new Error(`${name} is not in /metrics`);
  return Number(match[1]);
}

describe(`Postgres outage of ${OUTAGE_MS / 1000} s while probing at 10/s${FULL_SIZE ? '' : ' (CI size; LLMSCOPE_FULL_SOAK=1 for 60 s)'}`, () => {
  let postgres: KillablePostgres;
  let check: pg.Pool;
  beforeAll(async () => {
    postgres = await startKillablePostgres();
    await migrateTestDatabase(postgres.url);
  }, 120_000);
  afterAll(async () => {
    await check?.end();
    await postgres?.destroy();
  }, 60_000);

  it(
    'queues and spills, reports the outage, then writes every sample and violation in order',
    async () => {
      // Two series at 200 ms: 10 probes a second, each one second spike every 25 probes (R1 episodes).
      const sim = new SimulatedOllama({
        models: [
          { name: 'a', medianMs: 15 },
          { name: 'b', medianMs: 15 },
        ],
        schedule: { incidents: [{ kind: 'spike', from: 40, to: 41, factor: 8, every: 25 }], faults: [] },
      });
      const simUrl = await sim.start();
      const config = testConfig({
        collector: 'outage',
        targets: [{ name: 'sim', url: simUrl }],
        models: ['a', 'b'],
        interval: '200ms',
        timeout: '2s',
        spc: { baselineSize: 30, minPoints: 20 },
        database: { url: postgres.url },
      });
      config.store.queueSize = QUEUE_SIZE;
      const { logger, text } = capturedLogger();
      const record = recordingObserver();
      const collector = await startCollector({ config, logger, observers: [record.observer] });
      try {
        // Baselines first, so the spikes during the outage open violation episodes.
        await waitFor('both baselines', () => sim.requestCount('a') >= 45 && sim.requestCount('b') >= 45, 60_000);
        await collector.writer.flush();
        const openedBefore = record.opened();
        const probesBefore = sim.requestCount('a') + sim.requestCount('b');

        await postgres.stop();
        const outageStart = Date.now();
        await waitFor('the writer to notice', () => !collector.writer.healthy, 10_000);
        const ready = await fetch(`${collector.url}/readyz`);
        expect(ready.status).toBe(503);
        expect((await ready.json()).reason).toMatch(/the database is unreachable/);
        let deepest = 0;
        while (Date.now() - outageStart < OUTAGE_MS) {
          await sleep(1000);
          deepest = Math.max(deepest, gauge(await (await fetch(`${collector.url}/metrics`)).text(), 'llmscope_store_queue_depth'));
        }
        const probesDuring = sim.requestCount('a') + sim.requestCount('b') - probesBefore;
        // 10/s minus what a shared CPU costs; the point is that probing went on.
        expect(probesDuring).toBeGreaterThan((OUTAGE_MS / 1000) * 5);
        // The gauge shows the backlog; more than the queue holds, so the rest is in the spill file.
        expect(deepest).toBeGreaterThan(QUEUE_SIZE);
        expect(collector.writer.depth).toBeGreaterThan(probesDuring * 0.8);
        const spilled = readFileSync(config.store.spillFile, 'utf8').split('\n').filter(Boolean);
        expect(spilled.length).toBeGreaterThan(probesDuring - QUEUE_SIZE - 20);
        expect((await fetch(`${collector.url}/readyz`)).status).toBe(503);
        expect(record.opened() - openedBefore).toBeGreaterThan(0);

        await postgres.start();
        await waitFor('the backlog to drain', () => collector.writer.depth === 0 && collector.writer.healthy, 60_000);
        expect((await fetch(`${collector.url}/readyz`)).status).toBe(200);
        expect(gauge(await (await fetch(`${collector.url}/metrics`)).text(), 'llmscope_store_queue_depth')).toBeLessThan(QUEUE_SIZE);
      } finally {
        await collector.stop();
        await sim.stop();
      }

      check = new pg.Pool({ connectionString: postgres.url, max: 2 });
      // pool.end() resolves once it has asked its clients to close, and afterAll then stops this
      // Postgres: a client still closing gets its 57P01, which a pool without an 'error' listener
      // throws as an uncaught exception into whichever test file runs next.
      check.on('error', () => undefined);
      expect(existsSync(config.store.spillFile)).toBe(false);
      // Every sample the pipeline produced is in the table, once, in the order it was produced.
      for (const model of ['a', 'b']) {
        const { rows } = await check.query<{ uid: string }>(`SELECT uid FROM samples WHERE model = $1 ORDER BY id`, [model]);
        expect(rows.map((r) => r.uid)).toEqual(record.uids.get(model));
        expect(rows.length).toBe(sim.requestCount(model));
      }
      const violations = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM violations`);
      expect(violations.rows[0]!.n).toBe(record.opened());
      const duplicates = await check.query(`SELECT sample_id, rule FROM violations GROUP BY 1, 2 HAVING count(*) > 1`);
      expect(duplicates.rows).toEqual([]);
      expect(text()).toMatch(/cannot write to the database .*queueing and retrying/);
      expect(text()).toMatch(/store queue full \(10\): spilled the \d+ oldest group\(s\)/);
      expect(text()).toMatch(/database writes resumed after \d+ s/);
    },
    OUTAGE_MS + 180_000,
  );
});
