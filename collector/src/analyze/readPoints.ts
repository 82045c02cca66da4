// Reads the series `llmscope analyze` charts: one number a line, or one column of a CSV file
// with a header row. Every failure names the file line so the user can fix it.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AnalyzeInputError } from './inputError.js';
import { numberProblem, parseDecimal } from './parseNumber.js';

export interface Points {
  values: number[];
  /** 1-based file line of each value. */
  lines: number[];
  /** With --time-column: each value's time as ISO 8601, the values in time order. */
  times?: string[];
}

export async function readPoints(path: string, options: { column?: string; timeColumn?: string } = {}): Promise<Points> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new AnalyzeInputError(`cannot read ${path}: ${reason}`);
  }
  if (text.trim() === '')
    throw new AnalyzeInputError(`${path} is empty: expected one number a line${options.column ? ' (CSV with a header row)' : ''}`);
  if (options.timeColumn !== undefined && options.column === undefined)
    throw new AnalyzeInputError('--time-column needs --column: both name columns of a CSV file with a header row');
  return options.column === undefined ? numbersPerLine(text) : csvColumn(text, options.column, options.timeColumn);
}

/** One number a line; blank lines are skipped. */
export function numbersPerLine(text: string): Points {
  const points: Points = { values: [], lines: [] };
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const cell = raw.trim();
      if (cell === '') return;
      const value = parseDecimal(cell);
      if (value === null) {
        const hint = cell.includes(',') || i === 0 ? ' (for a CSV file, name the column with --column NAME)' : '';
        throw new AnalyzeInputError(`line ${i + 1}: '${cell}' ${numberProblem(cell)}${hint}`);
      }
      points.values.push(value);
      points.lines.push(i + 1);
    });
  return points;
}

/** The named column of a CSV file whose first row is a header; with a time column, in time order. */
export function csvColumn(text: string, column: string, timeColumn?: string): Points {
  let header: string[];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    header = (parse(text, { bom: true, trim: true, to_line: 1 }) as string[][])[0] ?? [];
    rows = parse(text, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true });
  } catch (error) {
    throw new AnalyzeInputError(`not a valid CSV file: ${(error as Error).message}`);
  }
  for (const name of timeColumn === undefined ? [column] : [column, timeColumn]) {
    if (!header.includes(name))
      throw new AnalyzeInputError(`column '${name}' not found; the header has: ${header.map((h) => `'${h}'`).join(', ')}`);
  }
  const points: Points = { values: [], lines: [] };
  const times: number[] = [];
  for (const { record, info } of rows) {
    const cell = (record[column] ?? '').trim(); // csv-parse's trim leaves spaces inside quotes
    const value = parseDecimal(cell);
    if (value === null) throw new AnalyzeInputError(`line ${info.lines}: '${cell}' ${numberProblem(cell)} (column '${column}')`);
    points.values.push(value);
    points.lines.push(info.lines);
    if (timeColumn !== undefined) times.push(parseTime((record[timeColumn] ?? '').trim(), info.lines, timeColumn));
  }
  return timeColumn === undefined ? points : inTimeOrder(points, times);
}

const EPOCH = /^\d+(\.\d+)?$/;

/**
 * A time cell: ISO 8601 (with a zone, or read as UTC), or Unix epoch seconds (up to 11 digits)
 * or milliseconds. Exports of the original LLMscope come newest-first, hence --time-column.
 */
export function parseTime(cell: string, line: number, column: string): number {
  let ms: number;
  if (EPOCH.test(cell)) ms = Number(cell) * (cell.split('.')[0]!.length <= 11 ? 1000 : 1);
  else ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(cell) || !/\d[T ]\d/.test(cell) ? cell : `${cell.replace(' ', 'T')}Z`);
  if (!Number.isFinite(ms))
    throw new AnalyzeInputError(`line ${line}: '${cell}' is not a time (column '${column}'; use ISO 8601 or Unix epoch seconds)`);
  return ms;
}

/** The points sorted by time (stable: equal times keep file order), each with its ISO time. */
function inTimeOrder(points: Points, times: number[]): Points {
  const order = points.values.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  return {
    values: order.map((i) => points.values[i]!),
    lines: order.map((i) => points.lines[i]!),
    times: order.map((i) => new Date(times[i]!).toISOString()),
  };
}
