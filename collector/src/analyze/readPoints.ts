// Reads the series `llmscope analyze` charts: one number a line, or one column of a CSV file
// with a header row. Every failure names the file line so the user can fix it.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AnalyzeInputError } from './inputError.js';
import { parseDecimal } from './parseNumber.js';

export interface Points {
  values: number[];
  /** 1-based file line of each value. */
  lines: number[];
}

export async function readPoints(path: string, options: { column?: string } = {}): Promise<Points> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new AnalyzeInputError(`cannot read ${path}: ${reason}`);
  }
  if (text.trim() === '') throw new AnalyzeInputError(`${path} is empty: expected one number a line${options.column ? ' (CSV with a header row)' : ''}`);
  return options.column === undefined ? numbersPerLine(text) : csvColumn(text, options.column);
}

/** One number a line; blank lines are skipped. */
export function numbersPerLine(text: string): Points {
  const points: Points = { values: [], lines: [] };
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const cell = raw.trim();
    if (cell === '') return;
    const value = parseDecimal(cell);
    if (value === null) {
      const hint = cell.includes(',') || i === 0 ? ' (for a CSV file, name the column with --column NAME)' : '';
      throw new AnalyzeInputError(`line ${i + 1}: '${cell}' is not a number${hint}`);
    }
    points.values.push(value);
    points.lines.push(i + 1);
  });
  return points;
}

/** The named column of a CSV file whose first row is a header. */
export function csvColumn(text: string, column: string): Points {
  let header: string[];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    header = (parse(text, { bom: true, trim: true, to_line: 1 }) as string[][])[0] ?? [];
    rows = parse(text, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true });
  } catch (error) {
    throw new AnalyzeInputError(`not a valid CSV file: ${(error as Error).message}`);
  }
  if (!header.includes(column)) {
    throw new AnalyzeInputError(`column '${column}' not found; the header has: ${header.map((name) => `'${name}'`).join(', ')}`);
  }
  const points: Points = { values: [], lines: [] };
  for (const { record, info } of rows) {
    const cell = (record[column] ?? '').trim(); // csv-parse's trim leaves spaces inside quotes
    const value = parseDecimal(cell);
    if (value === null) throw new AnalyzeInputError(`line ${info.lines}: '${cell}' is not a number (column '${column}')`);
    points.values.push(value);
    points.lines.push(info.lines);
  }
  return points;
}
