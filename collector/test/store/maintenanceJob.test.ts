// The collector's maintenance job: its first pass has made the coming week's partitions by the
// time start() returns, and a failing pass is logged, never thrown into the collector.
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MaintenanceJob } from '../../src/store/maintenanceJob.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';

const DAY_MS = 86_400_000;
const policy = { samplesMs: 30 * DAY_MS, rollupsMs: 400 * DAY_MS };
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');

describe('MaintenanceJob', () => {
  const db = useMigratedDatabase();

  it('has made the partitions of the coming week when start() returns', async () => {
    const job = new MaintenanceJob(db.check, policy, pino({ level: 'silent' }));
    await job.start();
    await job.stop();
    const { rows } = await db.check.query(`SELECT to_regclass($1) IS NOT NULL AS samples, to_regclass($2) IS NOT NULL AS rollups`, [
      `samples_${day(7)}`,
      `sample_rollups_1m_${day(7)}`,
    ]);
    expect(rows[0]).toEqual({ samples: true, rollups: true });
  });

  it('logs a failed pass instead of throwing', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const nowhere = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    nowhere.on('error', () => undefined);
    const job = new MaintenanceJob(nowhere, policy, logger);
    await job.start();
    await job.stop();
    await nowhere.end();
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['retention pass failed; trying again in an hour']);
  });
});
