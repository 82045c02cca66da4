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
