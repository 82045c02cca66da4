// Promise (docs/reliability.md, "Hostile model servers"): a value a model server sent that its
// column cannot hold costs only that field. Before, eval_count 1e308 or a NUL in the error text
// failed the whole batch, and every sample of the series went to spill.rejected.ndjson.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/store/pool.js';
import type { StoreGroup } from '../../src/store/rows.js';
import { sanitizeSample } from '../../src/store/sanitizeSample.js';
import { StoreWriter } from '../../src/store/writer.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow, violationRow } from '../helpers/rows.js';

const logger = pino({ level: 'silent' });

/** A logger whose lines the test reads back (JSON objects, one per line). */
function recordingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }), lines };
}

function newWriter(pool: pg.Pool, dir: string, log: pino.Logger, rejectedMaxBytes?: number): StoreWriter {
  return new StoreWriter({
    pool,
    logger: log,
    queueSize: 1000,
    spillFile: join(dir, 'spill.ndjson'),
    batchSize: 50,
    flushIntervalMs: 20,
    retryIntervalMs: 100,
    rejectedMaxBytes,
  });
}

describe('poison values from a model server', () => {
  const db = useMigratedDatabase();

  it('are stored as null with a note; the batch, its violations and its neighbours are all written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-poison-'));
    const pool = createPool({ databaseUrl: db.url, logger });
    const writer = new StoreWriter({
      pool,
      logger,
      queueSize: 1000,
      spillFile: join(dir, 'spill.ndjson'),
      batchSize: 50,
      flushIntervalMs: 20,
      retryIntervalMs: 100,
    });
    await writer.start();
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    const at = (i: number) => new Date(t0 + i * 1000).toISOString();
    const poisoned = sampleRow({
      model: 'poison',
      ts: at(1),
      evalCount: 1e308,
      promptEvalCount: 1.5,
      evalDurationMs: -5,
      loadDurationMs: Number.POSITIVE_INFINITY,
      tokensPerSecond: Number.NaN,
      error: 'bad\u0000byte',
    });
    const groups: StoreGroup[] = [
      [{ kind: 'sample', row: sampleRow({ model: 'poison', ts: at(0) }) }],
      [
        { kind: 'sample', row: poisoned },
        { kind: 'violation-open', row: violationRow(poisoned, { evalCount: 2 ** 63 }) },
      ],
      [{ kind: 'sample', row: sampleRow({ model: 'poison', ts: at(2), evalCount: 2 ** 31 }) }],
    ];
    for (const group of groups) writer.enqueue(group);
    await writer.flush();
    await writer.close();
    await pool.end();

    const { rows } = await db.check.query(
      `SELECT ts, eval_count, prompt_eval_count, eval_duration_ms, load_duration_ms, tokens_per_second, error, status
       FROM samples WHERE model = 'poison' ORDER BY ts`,
    );
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({
      eval_count: null,
      prompt_eval_count: null,
      eval_duration_ms: null,
      load_duration_ms: null,
      tokens_per_second: null,
      status: 'ok',
    });
    expect(rows[1].error).toMatch(/^bad byte; stored as null: .*eval_count 1e\+308 is out of range/);
    expect(rows[1].error).toContain('prompt_eval_count 1.5 is out of range');
    expect(rows[2].eval_count).toBeNull();
    const violations = await db.check.query(`SELECT eval_count FROM violations WHERE model = 'poison'`);
    expect(violations.rows).toEqual([{ eval_count: null }]);
    expect(existsSync(join(dir, 'spill.rejected.ndjson'))).toBe(false);
  });

  it('a row Postgres refuses after sanitising costs only that row: its group and batch are written, one warning without a stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-poison-'));
    const pool = createPool({ databaseUrl: db.url, logger });
    const { logger: log, lines } = recordingLogger();
    const writer = newWriter(pool, dir, log);
    await writer.start();
    const t0 = Date.parse('2026-03-02T10:00:00Z');
    const at = (i: number) => new Date(t0 + i * 1000).toISOString();
    const before = sampleRow({ model: 'refused', ts: at(0) });
    const flagged = sampleRow({ model: 'refused', ts: at(1), latencyMs: 900 });
    // sanitizeSample checks numbers and text, not the timestamp: Postgres refuses this one (22007).
    const refused = sampleRow({ model: 'refused', ts: 'not a time' });
    const after = sampleRow({ model: 'refused', ts: at(2) });
    writer.enqueue([{ kind: 'sample', row: before }]);
    writer.enqueue([
      { kind: 'sample', row: flagged },
      { kind: 'sample', row: refused },
      { kind: 'violation-open', row: violationRow(flagged) },
    ]);
    writer.enqueue([{ kind: 'sample', row: after }]);
    await writer.flush();
    await writer.close();
    await pool.end();

    const { rows } = await db.check.query(`SELECT uid FROM samples WHERE model = 'refused' ORDER BY ts`);
    expect(rows.map((r) => r.uid)).toEqual([before.uid, flagged.uid, after.uid]);
    const violations = await db.check.query(
      `SELECT s.uid FROM violations v JOIN samples s ON s.id = v.sample_id WHERE v.model = 'refused'`,
    );
    expect(violations.rows).toEqual([{ uid: flagged.uid }]);
    const rejected = readFileSync(join(dir, 'spill.rejected.ndjson'), 'utf8').trim().split('\n');
    expect(rejected.map((line) => JSON.parse(line))).toEqual([[{ kind: 'sample', row: refused }]]);
    const refusals = lines.filter((l) => String(l.msg).startsWith('the database refused one sample'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ level: 40 });
    expect(String(refusals[0]!.msg)).toContain('22007');
    expect(lines.filter((l) => (l.level as number) >= 50 || 'err' in l || 'stack' in l)).toEqual([]);
  });

  it('the rejected file stays within store.rejectedMaxBytes: later refused rows are dropped, said once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-poison-'));
    const pool = createPool({ databaseUrl: db.url, logger });
    const { logger: log, lines } = recordingLogger();
    const refused = [0, 1, 2, 3].map(() => sampleRow({ model: 'refused-bound', ts: 'not a time' }));
    const oneLine = JSON.stringify([{ kind: 'sample', row: refused[0] }]).length + 1;
    const writer = newWriter(pool, dir, log, oneLine + 10);
    await writer.start();
    const good = sampleRow({ model: 'refused-bound' });
    for (const row of refused) writer.enqueue([{ kind: 'sample', row }]);
    writer.enqueue([{ kind: 'sample', row: good }]);
    await writer.flush();
    await writer.close();
    await pool.end();

    const file = join(dir, 'spill.rejected.ndjson');
    expect(statSync(file).size).toBeLessThanOrEqual(oneLine + 10);
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)[0].row.uid),
    ).toEqual([refused[0]!.uid]);
    expect(lines.filter((l) => String(l.msg).includes('has reached store.rejectedMaxBytes'))).toHaveLength(1);
    expect(lines.filter((l) => String(l.msg).startsWith('the database refused one sample'))).toHaveLength(4);
    const { rows } = await db.check.query(`SELECT uid FROM samples WHERE model = 'refused-bound'`);
    expect(rows).toEqual([{ uid: good.uid }]);
  });

  it('leaves a sound sample as it is (the same object)', () => {
    const sound = sampleRow({ evalCount: 40, evalDurationMs: 812.5 });
    expect(sanitizeSample(sound)).toBe(sound);
  });
});
