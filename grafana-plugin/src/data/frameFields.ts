import { type DataFrame, type Field, getFieldDisplayName } from '@grafana/data';

/** Finds a field by column name (or display name), ignoring case as SQL does. */
export function findField(frame: DataFrame, name: string): Field | undefined {
  const wanted = name.trim().toLowerCase();
  if (!wanted) {
    return undefined;
  }
  return (
    frame.fields.find((f) => f.name.toLowerCase() === wanted) ??
    frame.fields.find((f) => getFieldDisplayName(f, frame).toLowerCase() === wanted)
  );
}

/** A numeric cell; Postgres numerics may arrive as strings, nulls and NaN become null. */
export function numberAt(field: Field | undefined, row: number): number | null {
  if (!field) {
    return null;
  }
  const raw: unknown = field.values[row];
  if (raw === null || raw === undefined || raw === '') {
    return null;
  }
  const value = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** A time cell as epoch milliseconds (numbers, ISO strings and Date objects all occur). */
export function timeAt(field: Field | undefined, row: number): number | null {
  if (!field) {
    return null;
  }
  const raw: unknown = field.values[row];
  if (raw instanceof Date) {
    return raw.getTime();
  }
  if (typeof raw === 'string') {
    const parsed = Date.parse(raw);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return numberAt(field, row);
}

export function booleanAt(field: Field | undefined, row: number): boolean | null {
  const raw: unknown = field?.values[row];
  if (typeof raw === 'boolean') {
    return raw;
  }
  if (raw === 't' || raw === 'true' || raw === 1) {
    return true;
  }
  return raw === 'f' || raw === 'false' || raw === 0 ? false : null;
}

export function stringAt(field: Field | undefined, row: number): string | null {
  if (!field) {
    return null;
  }
  const raw: unknown = field.values[row];
  return raw === null || raw === undefined ? null : String(raw);
}

export function rowCount(frame: DataFrame): number {
  return frame.length ?? frame.fields[0]?.values.length ?? 0;
}

/**
 * A numeric column as one Float64Array (NaN where the cell is null or not a finite number),
 * read in one pass: per-cell reads through numberAt cost a call and a type test each, for
 * every column of every row of a week of probes. Absent field: null.
 */
export function numberColumn(field: Field | undefined, n: number): Float64Array | null {
  if (!field) {
    return null;
  }
  const values: ArrayLike<unknown> = field.values;
  const out = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    const raw = values[row];
    const value = typeof raw === 'number' ? raw : raw === null || raw === undefined || raw === '' ? NaN : Number(raw);
    out[row] = Number.isFinite(value) ? value : NaN;
  }
  return out;
}

/** A time column as epoch milliseconds (NaN where there is no valid time). */
export function timeColumn(field: Field | undefined, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (!field) {
    return out;
  }
  const values: ArrayLike<unknown> = field.values;
  for (let row = 0; row < n; row++) {
    const raw = values[row];
    if (typeof raw === 'number') {
      out[row] = Number.isFinite(raw) ? raw : NaN;
    } else {
      out[row] = timeAt(field, row) ?? NaN;
    }
  }
  return out;
}
