// The SPC state is stored every few samples, not with each one. kill -9 the real
// `llmscope start` in Phase I, between two stored states: on restart the samples stored
// after the last state are replayed, so the baseline carries on where it was instead of
// losing the points the stored state had not seen yet.
import { describe, expect, it } from 'vitest';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { collectorStarter, exitOf, expectBuiltCli } from '../helpers/cliProcess.js';
import { waitFor } from '../helpers/collector.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';

describe('SPC state replay after a crash', () => {
  const db = useMigratedDatabase();

  it('a kill -9 in Phase I loses no baseline point: one baseline, frozen after 60 ok samples in all', async () => {
    expectBuiltCli();
    const sim = new SimulatedOllama({ models: [{ name: 'steady', medianMs: 20, loadMs: 50 }], schedule: { incidents: [], faults: [] } });
    const url = await sim.start();
    const env = { ...process.env, DATABASE_URL: db.url, OLLAMA_HOST: url, LLMSCOPE_PORT: '0', LLMSCOPE_LOG_LEVEL: 'warn' };
    const start = collectorStarter({
      prefix: 'llmscope-replay-',
      env,
      yaml: `collector: replay-test
interval: 150ms
timeout: 2s
spc: { baselineSize: 60, minPoints: 20 }`,
    });
    const count = async () => (await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE status = 'ok'`)).rows[0].n as number;
    /** Points in the stored state's Phase I history (the state is written with its sample, so it is never ahead). */
    const storedPoints = async () =>
      ((await db.check.query(`SELECT state FROM series_states`)).rows[0]?.state as { monitor: { history: number[] } } | undefined)?.monitor
        .history.length ?? 0;
    try {
      const first = start();
      // An opening or closing episode stores the state at once; wait for a moment it lags.
      await waitFor(
        '22 samples, the stored state 2 behind',
        async () => {
          const n = await count();
          return n >= 22 && n - (await storedPoints()) >= 2;
        },
        60_000,
      );
      const firstExit = exitOf(first);
      first.kill('SIGKILL');
      await firstExit;
      const before = await count();
      // The crash fell between two stored states: the last one has fewer points than were stored.
      const points = await storedPoints();
      expect(points, 'the first ok sample stores a state row').toBeGreaterThan(0);
      expect(points).toBeLessThan(before);
      expect(before).toBeLessThan(60);

      const second = start();
      await waitFor('the baseline and 10 samples after it', async () => (await count()) >= 70, 60_000);
      const secondExit = exitOf(second);
      second.kill('SIGTERM');
      expect(await secondExit).toBe(0);

      const unlimited = await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE status = 'ok' AND spc_center IS NULL`);
      expect(unlimited.rows[0].n).toBe(20);
      const baselines = await db.check.query(`SELECT count(*)::int AS n FROM baselines`);
      expect(baselines.rows[0].n).toBe(1);
      // The baseline froze on the 61st ok sample, counting those before the crash: none was lost.
      const beforeFreeze = await db.check.query(
        `SELECT count(*)::int AS n FROM samples s, baselines b WHERE s.status = 'ok' AND s.ts < b.computed_at`,
      );
      expect(beforeFreeze.rows[0].n).toBe(60);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});
