// Bulk load with COPY … FROM STDIN (text format) into a per-connection temporary staging table:
// the server parses one tab-separated stream instead of a bind array per column, which is the
// cheapest way into Postgres (docs/performance.md, ingest). The caller then moves the staged
// rows with one INSERT … SELECT, which keeps ON CONFLICT idempotence and the insert triggers.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyColumn<T> = [name: string, type: string, get: (row: T) => unknown];

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeChar = (c: string): string => ESCAPES[c]!;

/** Text with backslash, tab, newline and carriage return escaped (the characters COPY text gives a meaning to). */
function escapeText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, escapeChar) : text;
}

/**
 * One COPY text field: \N for null; backslash, tab, newline and carriage return escaped.
 * Checked by type first: a number's or boolean's text never holds a character to escape, so
 * only strings (and other objects' text) are scanned (docs/performance.md, ingest).
 */
export function copyField(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return escapeText(value);
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return '\\N';
    default:
      if (value === null) return '\\N';
      return escapeText(value instanceof Date ? value.toISOString() : String(value));
  }
}

/** The COPY text of `rows`: one line per row, fields in column order. */
export function copyText<T>(columns: readonly CopyColumn<T>[], rows: readonly T[]): string {
  if (columns.length === 0) throw new Error('copyText: a COPY needs at least one column');
  const getters = columns.map(([, , get]) => get);
  const last = getters.length - 1;
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < last; i++) text += copyField(getters[i]!(row)) + '\t';
    text += copyField(getters[last]!(row)) + '\n';
  }
  return text;
}

/** Rows per chunk sent: the server parses one chunk while the next is encoded (docs/performance.md, ingest). */
const CHUNK_ROWS = 100;

function* copyChunks<T>(columns: readonly CopyColumn<T>[], rows: readonly T[]): Generator<string> {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) yield copyText(columns, rows.slice(start, start + CHUNK_ROWS));
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
  await pipeline(Readable.from(copyChunks(columns, rows)), stream);
}
