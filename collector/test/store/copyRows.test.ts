// COPY text encoding: every value the writer stages comes back from Postgres unchanged.
import { describe, expect, it } from 'vitest';
import { copyField, copyText, type CopyColumn } from '../../src/store/copyRows.js';
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

  /**
   * The encoding as it was before copyField got its per-type fast paths (docs/performance.md,
   * ingest): every value stringified, then scanned. The fast paths must not change a byte.
   */
  function scannedField(value: unknown): string {
    if (value === null || value === undefined) return '\\N';
    if (typeof value === 'boolean') return value ? 't' : 'f';
    const text = value instanceof Date ? value.toISOString() : String(value);
    return text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
  }

  // sanitizeSample leaves finite numbers (or null) in the numeric columns and takes control
  // characters out of `error` and `model` only: a prompt, target or probe name can still hold
  // a tab, newline or carriage return, and any text a backslash.
  const tricky: unknown[] = [
    null,
    undefined,
    true,
    false,
    0,
    -0,
    -12.5,
    1234.5678901234,
    -0.000123,
    1.5e-7,
    1e21,
    -1e21,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    2_147_483_647,
    12n,
    '',
    'plain',
    '\\',
    '\\N',
    'tab\there',
    'line\nbreak',
    'carriage\rreturn',
    '\r\n\t\\ all at once \\\\',
    'ünïcødé ✓ "quotes" \'single\'',
    new Date('2026-12-01T02:03:04.005Z'),
    new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)),
    { toString: () => 'an object\twith a tab' },
  ];

  it('gives every tricky value the same bytes as stringify-then-scan', () => {
    for (const value of tricky) expect([value, copyField(value)]).toEqual([value, scannedField(value)]);
    expect(copyField(-0)).toBe('0');
    expect(copyField(1e21)).toBe('1e+21');
    expect(copyField('')).toBe('');
    expect(copyField(new Date('2026-12-01T02:03:04.005Z'))).toBe('2026-12-01T02:03:04.005Z');
    expect(copyField('\r\n\t\\ all at once \\\\')).toBe('\\r\\n\\t\\\\ all at once \\\\\\\\');
  });

  it('writes rows as tab-separated lines in column order', () => {
    const columns: CopyColumn<unknown[]>[] = tricky.map((_, i) => [`c${i}`, 'text', (row) => row[i]]);
    const rows = [tricky, [...tricky].reverse()];
    const line = (row: unknown[]) => row.map(scannedField).join('\t') + '\n';
    expect(copyText(columns, rows)).toBe(line(rows[0]!) + line(rows[1]!));
    expect(copyText(columns.slice(0, 1), [[null], ['x']])).toBe('\\N\nx\n');
    expect(copyText(columns, [])).toBe('');
  });

  it('refuses a COPY without columns', () => {
    expect(() => copyText([], [{}])).toThrow(/at least one column/);
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

  it('stages a batch sent in several chunks whole and in order', async () => {
    const batch = Array.from({ length: 250 }, (_, i) =>
      sampleRow({ model: 'chunked', prompt: `prompt ${i}\twith a tab`, latencyMs: 100 + i / 7 }),
    );
    const client = await db.check.connect();
    try {
      await client.query('BEGIN');
      await writeItems(
        client,
        batch.map((row) => ({ kind: 'sample', row })),
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { rows } = await db.check.query(`SELECT uid, prompt, latency_ms FROM samples WHERE model = 'chunked' ORDER BY id`);
    expect(rows).toEqual(batch.map((row) => ({ uid: row.uid, prompt: row.prompt, latency_ms: row.latencyMs })));
  });
});
