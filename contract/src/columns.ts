// How a table is described in the contract: each column's Postgres type (spelled as
// information_schema.columns.data_type spells it, so a test can compare the two directly),
// whether it may be null, and for CHECK-constrained text the values it may hold. The row
// types every package uses are derived from these tables, so renaming or retyping a column
// here is a compile error at each place that reads it (docs/architecture.md).

export type SqlType =
  | 'bigint'
  | 'integer'
  | 'double precision'
  | 'text'
  | 'boolean'
  | 'uuid'
  | 'timestamp with time zone'
  | 'jsonb'
  /** An integer[] (information_schema spells every array type ARRAY). */
  | 'ARRAY';

export interface ColumnSpec {
  readonly type: SqlType;
  readonly nullable: boolean;
  /** The values a CHECK constraint allows (text columns only). */
  readonly values?: readonly string[];
}

export interface TableSpec {
  readonly name: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
}

type ValueOf<C extends ColumnSpec, Time> = C extends { readonly values: readonly (infer V)[] }
  ? V
  : C['type'] extends 'bigint' | 'integer' | 'double precision'
    ? number
    : C['type'] extends 'boolean'
      ? boolean
      : C['type'] extends 'timestamp with time zone'
        ? Time
        : C['type'] extends 'jsonb'
          ? unknown
          : C['type'] extends 'ARRAY'
            ? number[]
            : string;

/**
 * One row of `T` keyed by column name. `Time` is how a timestamp travels: `Date` from node-postgres,
 * epoch milliseconds in a Grafana frame, an ISO string in JSON. bigint ids are numbers: they stay
 * far below 2^53 and the collector selects them as float8.
 */
export type RowOf<T extends TableSpec, Time = Date> = {
  -readonly [K in keyof T['columns']]: ValueOf<T['columns'][K], Time> | (T['columns'][K]['nullable'] extends true ? null : never);
};

export type ColumnOf<T extends TableSpec> = keyof T['columns'] & string;

/** Every column of `table`, in the order the migration creates them. */
export function columnNames<T extends TableSpec>(table: T): ColumnOf<T>[] {
  return Object.keys(table.columns) as ColumnOf<T>[];
}

/**
 * A SELECT list of `columns` of `table` read through `alias` (`s.latency_ms, …`). bigint columns
 * are cast to float8 so node-postgres hands them out as numbers (it returns int8 as strings);
 * identifiers that are SQL keywords (`timestamp`) are quoted.
 */
export function selectList<T extends TableSpec>(table: T, columns: readonly ColumnOf<T>[], alias: string): string {
  return columns
    .map((column) => {
      const spec = table.columns[column] as ColumnSpec;
      const ref = `${alias}.${quoteIdentifier(column)}`;
      return spec.type === 'bigint' ? `${ref}::float8 AS ${quoteIdentifier(column)}` : ref;
    })
    .join(', ');
}

const RESERVED = new Set(['timestamp', 'user', 'order', 'group', 'window']);

export function quoteIdentifier(column: string): string {
  return RESERVED.has(column) ? `"${column}"` : column;
}
