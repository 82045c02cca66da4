// Promise (docs/reliability.md, "Hostile model servers"): a value a model server sent that its
// column cannot hold costs only that field. Before, eval_count 1e308 or a NUL in the error text
// failed the whole batch, and every sample of the series went to spill.rejected.ndjson.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/store/pool.js';
import type { StoreGroup } from '../../src/store/rows.js';
import { sanitizeSample } from '../../src/store/sanitizeSample.js';
import { StoreWriter } from '../../src/store/writer.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow, violationRow } from '../helpers/rows.js';

const logger = pino({ level: 'silent' });

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

  it('leaves a sound sample as it is (the same object)', () => {
    const sound = sampleRow({ evalCount: 40, evalDurationMs: 812.5 });
    expect(sanitizeSample(sound)).toBe(sound);
  });
});
