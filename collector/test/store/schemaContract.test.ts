// The migrated database and @llmscope/contract describe the same tables: every column the
// contract names exists with its type and nullability, every column the database has is in the
// contract, and CHECK-constrained text columns allow exactly the contract's values.
import { TABLES, type ColumnSpec } from '@llmscope/contract';
import { describe, expect, it } from 'vitest';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
}

/** node-pg-migrate's own bookkeeping table is not part of the product's schema. */
const NOT_OURS = new Set(['pgmigrations']);

describe('the schema matches @llmscope/contract', () => {
  const db = useMigratedDatabase();

  async function databaseColumns(): Promise<Map<string, Map<string, ColumnSpec>>> {
    // Partitions of a partitioned table repeat its columns; only the parent is described.
    const { rows } = await db.check.query<DbColumn>(
      `SELECT col.table_name, col.column_name, col.data_type, col.is_nullable
       FROM information_schema.columns col
       JOIN pg_class c ON c.relname = col.table_name AND c.relnamespace = 'public'::regnamespace
       WHERE col.table_schema = 'public' AND NOT c.relispartition AND c.relkind IN ('r', 'p')
       ORDER BY col.table_name, col.ordinal_position`,
    );
    const tables = new Map<string, Map<string, ColumnSpec>>();
    for (const r of rows) {
      if (NOT_OURS.has(r.table_name)) continue;
      const columns = tables.get(r.table_name) ?? new Map<string, ColumnSpec>();
      columns.set(r.column_name, { type: r.data_type as ColumnSpec['type'], nullable: r.is_nullable === 'YES' });
      tables.set(r.table_name, columns);
    }
    return tables;
  }

  it('has exactly the tables the contract lists', async () => {
    const tables = await databaseColumns();
    expect([...tables.keys()].sort()).toEqual(TABLES.map((t) => t.name).sort());
  });

  it('has every column the contract names, with its type and nullability, and no other', async () => {
    const tables = await databaseColumns();
    for (const table of TABLES) {
      const inDatabase = Object.fromEntries(tables.get(table.name) ?? []);
      const inContract = Object.fromEntries(
        Object.entries(table.columns).map(([name, c]) => [name, { type: c.type, nullable: c.nullable }]),
      );
      expect({ table: table.name, columns: inDatabase }).toEqual({ table: table.name, columns: inContract });
    }
  });

  it('allows exactly the contract values in CHECK-constrained text columns', async () => {
    const { rows } = await db.check.query<{ table_name: string; definition: string }>(
      `SELECT c.relname AS table_name, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE k.contype = 'c' AND c.relnamespace = 'public'::regnamespace AND NOT c.relispartition`,
    );
    const checked = TABLES.flatMap((t) =>
      Object.entries(t.columns)
        .filter(([, c]) => c.values !== undefined)
        .map(([name, c]) => ({ table: t.name, name, values: [...(c.values ?? [])].sort() })),
    );
    expect(checked.length).toBeGreaterThan(0);
    for (const { table, name, values } of checked) {
      const definition = rows.find((r) => r.table_name === table && new RegExp(`\\b${name}\\b.*ARRAY\\[`).test(r.definition));
      expect(definition, `a CHECK constraint listing the values of ${table}.${name}`).toBeDefined();
      const allowed = [...definition!.definition.matchAll(/'([^']*)'::text/g)].map((m) => m[1]).sort();
      expect({ column: `${table}.${name}`, values: allowed }).toEqual({ column: `${table}.${name}`, values });
    }
  });
});
