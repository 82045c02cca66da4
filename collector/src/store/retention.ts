// Retention in plain Postgres (docs/scaling.md, "Retention and partitions"): raw samples and
// the per-minute rollups live in one partition per UTC day, named <table>_YYYYMMDD by
// llmscope_ensure_partitions(); a day past retention.samples is detached (CONCURRENTLY, so
// queries running meanwhile neither fail nor wait) and dropped whole: no DELETE of millions of
// rows. Hourly rollups are few (24 per series a day) and are deleted row-wise past
// retention.rollups. Violations are never dropped here: they carry their own telemetry.
import type pg from 'pg';
import { foldRollups } from './rollupQueries.js';

export interface RetentionPolicy {
  /** Raw samples and minute rollups are kept this long (ms). */
  samplesMs: number;
  /** Hourly rollups are kept this long (ms). */
  rollupsMs: number;
  /** Days of partitions made ahead of now. */
  aheadDays?: number;
}

export interface RetentionResult {
  created: number;
  dropped: string[];
  hourlyRowsDeleted: number;
}

const DAY_MS = 86_400_000;
const DAY_PARTITIONED = ['samples', 'sample_rollups_1m'] as const;

interface Partition {
  name: string;
  parent: string;
  /** Still attached (false: a detach that a crash cut short left it standing alone). */
  attached: boolean;
  detachPending: boolean;
}

/** This schema's day partitions of samples and minute rollups, attached or left detached. */
async function dayPartitions(pool: pg.Pool): Promise<Partition[]> {
  const { rows } = await pool.query<{ name: string; parent: string | null; detach_pending: boolean | null }>(
    `SELECT c.relname AS name, p.relname AS parent, i.inhdetachpending AS detach_pending
     FROM pg_class c
     LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
     LEFT JOIN pg_class p ON p.oid = i.inhparent
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
       AND c.relname ~ ('^(' || array_to_string($1::text[], '|') || ')_[0-9]{8}$')`,
    [DAY_PARTITIONED],
  );
  return rows.map((r) => ({
    name: r.name,
    parent: r.parent ?? r.name.replace(/_\d{8}$/, ''),
    attached: r.parent !== null,
    detachPending: r.detach_pending === true,
  }));
}

/** The UTC day after the partition's day: everything in it is older than this. */
function partitionEnd(name: string): number {
  const day = /_(\d{4})(\d{2})(\d{2})$/.exec(name)!;
  return Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) + DAY_MS;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * One maintenance pass: partitions for yesterday to `aheadDays` ahead, whole days older than
 * retention.samples dropped, hourly rollups older than retention.rollups deleted. Needs a pool
 * without a statement_timeout shorter than the longest query a detach may wait for.
 */
export async function applyRetention(pool: pg.Pool, policy: RetentionPolicy, now = new Date()): Promise<RetentionResult> {
  const ahead = policy.aheadDays ?? 7;
  // Queued samples of a day about to be dropped are counted into the hourly rollups first.
  await foldRollups(pool);
  const { rows } = await pool.query<{ created: number }>('SELECT llmscope_ensure_partitions($1, $2) AS created', [
    new Date(now.getTime() - DAY_MS),
    new Date(now.getTime() + ahead * DAY_MS),
  ]);
  const samplesCutoff = now.getTime() - policy.samplesMs;
  const dropped: string[] = [];
  for (const part of await dayPartitions(pool)) {
    if (partitionEnd(part.name) > samplesCutoff) continue;
    if (part.attached) {
      // CONCURRENTLY cannot run inside a transaction block: each statement commits on its own.
      await pool.query(
        `ALTER TABLE ${ident(part.parent)} DETACH PARTITION ${ident(part.name)} ${part.detachPending ? 'FINALIZE' : 'CONCURRENTLY'}`,
      );
    }
    await pool.query(`DROP TABLE IF EXISTS ${ident(part.name)}`);
    dropped.push(part.name);
  }
  const deleted = await pool.query('DELETE FROM sample_rollups_1h WHERE bucket < $1', [new Date(now.getTime() - policy.rollupsMs)]);
  return { created: rows[0]?.created ?? 0, dropped, hourlyRowsDeleted: deleted.rowCount ?? 0 };
}
