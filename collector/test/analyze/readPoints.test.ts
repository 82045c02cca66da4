import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/analyze/parseNumber.js';
import { csvColumn, numbersPerLine } from '../../src/analyze/readPoints.js';

describe('parseDecimal', () => {
  it('accepts plain decimals and exponents only', () => {
    expect(['1', '-2.5', '+.5', '3.', '1e3', '2.5E-2'].map(parseDecimal)).toEqual([1, -2.5, 0.5, 3, 1000, 0.025]);
    expect(['', ' ', '0x10', 'Infinity', 'NaN', '1,5', '12ms', '1e999', '--1'].map(parseDecimal)).toEqual(Array(9).fill(null));
  });
});

describe('numbersPerLine', () => {
  it('keeps file line numbers across blank lines, CRLF and a BOM', () => {
    expect(numbersPerLine('\uFEFF12\r\n\r\n 13.5 \r\n14\r\n')).toEqual({ values: [12, 13.5, 14], lines: [1, 3, 4] });
  });
  it('names the line and hints at --column for a CSV header', () => {
    expect(() => numbersPerLine('1\n2\nx')).toThrow("line 3: 'x' is not a number");
    expect(() => numbersPerLine('latency_ms\n2')).toThrow(
      /line 1: 'latency_ms' is not a number \(for a CSV file, name the column with --column NAME\)/,
    );
  });
});

describe('csvColumn', () => {
  it('reads a quoted, trimmed column and reports data-row line numbers', () => {
    const csv = 'ts,"latency_ms",model\n2024-01-01," 812.5",a\n\n2024-01-02,790,"b, c"\n';
    expect(csvColumn(csv, 'latency_ms')).toEqual({ values: [812.5, 790], lines: [2, 4] });
  });
  it('refuses malformed CSV with the parser reason', () => {
    expect(() => csvColumn('a,b\n1,2,3\n', 'a')).toThrow(/not a valid CSV file: .*/);
  });
});
