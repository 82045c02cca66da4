// docs/sql.md documents the tables users query: its column tables name every column of the
// contract's tables, and no column that does not exist (docs/architecture.md, "Adding a column").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnNames, type TableSpec } from './columns.js';
import { SAMPLE_ROLLUPS_1M } from './rollups.js';
import { SAMPLES } from './samples.js';
import { VIOLATIONS } from './violations.js';

const SQL_DOC = readFileSync(new URL('../../docs/sql.md', import.meta.url), 'utf8');

/** The backticked names in the first cell of each row of the column table under `heading`. */
function documentedColumns(heading: string): string[] {
  const start = SQL_DOC.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`docs/sql.md has no section "## ${heading}"`);
  const end = SQL_DOC.indexOf('\n## ', start + 1);
  const section = SQL_DOC.slice(start, end < 0 ? undefined : end);
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z_0-9]+)`/g)].map((m) => m[1]!));
}

describe('docs/sql.md', () => {
  const cases: [string, TableSpec][] = [
    ['`samples`', SAMPLES],
    ['`violations`', VIOLATIONS],
    ['`series`, `sample_rollups_1m`, `sample_rollups_1h`', SAMPLE_ROLLUPS_1M],
  ];
  it.each(cases)('documents every column of %s and no other', (heading, table) => {
    expect(documentedColumns(heading).sort()).toEqual(columnNames(table).sort());
  });
});
