// COPY text encoding: every value the writer stages comes back from Postgres unchanged.
import { describe, expect, it } from 'vitest';
import { copyField } from '../../src/store/copyRows.js';
import { writeItems } from '../../src/store/writeQueries.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow } from '../helpers/rows.js';

describe('COPY text fields', () => {
  it('escapes what COPY text format gives a meaning to', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(1.5e-7)).toBe('1.5e-7');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
  });

  const db = useMigratedDatabase();

  it('round-trips awkward text, nulls, booleans and numbers through the staging table', async () => {
    const row = sampleRow({
      model: 'copy',
      error: 'line one\nline\ttwo \\ back\\slash \r end',
      prompt: 'ünïcødé ✓ "quotes" \'single\' \\N',
      coldStart: true,
      ttftMs: null,
      latencyMs: 1234.5678901234,
      tokensPerSecond: 1e-9,
    });
    const client = await db.check.connect();
    try {
      await writeItems(client, [{ kind: 'sample', row }]);
    } finally {
      client.release();
    }
    const { rows } = await db.check.query(
      `SELECT uid, ts, error, prompt, cold_start, ttft_ms, latency_ms, tokens_per_second FROM samples WHERE model = 'copy'`,
    );
    expect(rows).toEqual([
      {
        uid: row.uid,
        ts: new Date(row.ts),
        error: row.error,
        prompt: row.prompt,
        cold_start: true,
        ttft_ms: null,
        latency_ms: row.latencyMs,
        tokens_per_second: 1e-9,
      },
    ]);
  });
});
