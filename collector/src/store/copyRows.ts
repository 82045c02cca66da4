// Bulk load with COPY … FROM STDIN (text format) into a per-connection temporary staging table:
// the server parses one tab-separated stream instead of a bind array per column, which is the
// cheapest way into Postgres (docs/performance.md, ingest). The caller then moves the staged
// rows with one INSERT … SELECT, which keeps ON CONFLICT idempotence and the insert triggers.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyColumn<T> = [name: string, type: string, get: (row: T) => unknown];

/** One COPY text field: \N for null; backslash, tab, newline and carriage return escaped. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;
}

/** The COPY text of `rows`: one line per row, fields in column order. */
export function copyText<T>(columns: readonly CopyColumn<T>[], rows: readonly T[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) text += (i === 0 ? '' : '\t') + copyField(columns[i]![2](row));
    text += '\n';
  }
  return text;
}

/**
 * Empties (or creates) the temporary table `name` with `columns` and copies `rows` into it.
 * Must run inside the caller's transaction; the table empties itself at commit. It is created
 * IF NOT EXISTS each time (a catalog lookup): a rolled-back transaction takes a table created in
 * it along, so remembering it per connection would be wrong.
 */
export async function copyIntoStaging<T>(
  client: pg.ClientBase,
  name: string,
  columns: readonly CopyColumn<T>[],
  rows: readonly T[],
): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns.map(([column, type]) => `"${column}" ${type}`).join(', ')}) ON COMMIT DELETE ROWS`,
  );
  const names = columns.map(([column]) => `"${column}"`).join(', ');
  const stream = client.query(copyFrom(`COPY ${name} (${names}) FROM STDIN`));
  await pipeline(Readable.from([copyText(columns, rows)]), stream);
}
