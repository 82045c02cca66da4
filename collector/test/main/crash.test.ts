// kill -9 the real `llmscope start` process mid-run and start it again: the series state
// and baseline come back from the database and no violation is written twice.
import { describe, expect, it } from 'vitest';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { collectorStarter, exitOf, expectBuiltCli } from '../helpers/cliProcess.js';
import { waitFor } from '../helpers/collector.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';

describe('crash and restart of the collector process', () => {
  const db = useMigratedDatabase();

  it('comes back with its baseline and open episodes after kill -9, and stops cleanly on SIGTERM', async () => {
    expectBuiltCli();
    const sim = new SimulatedOllama({
      models: [{ name: 'crashy', medianMs: 40, loadMs: 100 }],
      schedule: { incidents: [{ kind: 'shift', from: 50, to: 100_000, factor: 2 }], faults: [] },
    });
    const url = await sim.start();
    const env = { ...process.env, DATABASE_URL: db.url, OLLAMA_HOST: url, LLMSCOPE_PORT: '0', LLMSCOPE_LOG_LEVEL: 'warn' };
    const start = collectorStarter({
      prefix: 'llmscope-crash-',
      env,
      yaml: `collector: crash-test
interval: 80ms
timeout: 2s
spc: { baselineSize: 30, minPoints: 20 }`,
    });
    const count = async () =>
      (await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE collector = 'crash-test'`)).rows[0].n as number;

    try {
      const first = start();
      await waitFor('70 samples before the crash', async () => (await count()) >= 70, 60_000);
      const firstExit = exitOf(first);
      first.kill('SIGKILL');
      await firstExit;
      const crashedAt = new Date();
      const before = await count();

      const second = start();
      let stderr = '';
      second.stderr?.on('data', (chunk) => (stderr += chunk));
      await waitFor('40 samples after the restart', async () => (await count()) >= before + 40, 60_000);
      const stopping = Date.now();
      const secondExit = exitOf(second);
      second.kill('SIGTERM');
      expect(await secondExit).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(10_000);
      expect(stderr).not.toMatch(/"level":(50|60)/);

      // The restarted process restored the frozen limits: one baseline, no new Phase I.
      const baselines = await db.check.query(`SELECT count(*)::int AS n FROM baselines`);
      expect(baselines.rows[0].n).toBe(1);
      const unlimited = await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE status = 'ok' AND spc_center IS NULL`);
      expect(unlimited.rows[0].n).toBe(20);
      // The shift's R2 episode opened before the crash is extended after it, not opened again.
      const r2 = await db.check.query<{ timestamp: Date; last_seen_at: Date }>(
        `SELECT "timestamp", last_seen_at FROM violations WHERE rule = 'R2' AND "timestamp" < $1`,
        [crashedAt],
      );
      expect(r2.rows.filter((r) => r.last_seen_at > crashedAt)).toHaveLength(1);
      const duplicates = await db.check.query(`SELECT sample_id, rule FROM violations GROUP BY 1, 2 HAVING count(*) > 1`);
      expect(duplicates.rows).toEqual([]);
      // No gap but the downtime: samples up to the kill (less what the writer had not flushed)
      // and again from the restart, every ~80 ms on either side.
      const ts = (await db.check.query<{ ts: Date }>(`SELECT ts FROM samples WHERE collector = 'crash-test' ORDER BY ts`)).rows.map((r) =>
        r.ts.getTime(),
      );
      const gaps = ts.slice(1).map((to, i) => ({ from: ts[i]!, to }));
      const downtime = gaps.filter((g) => g.from <= crashedAt.getTime() && g.to > crashedAt.getTime());
      expect(downtime).toHaveLength(1);
      expect(crashedAt.getTime() - downtime[0]!.from).toBeLessThan(2000);
      expect(Math.max(...gaps.filter((g) => g !== downtime[0]).map((g) => g.to - g.from))).toBeLessThan(1500);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});
