#!/usr/bin/env node
// `npm run bench`: runs every benchmark module under bench/ and prints one table.
// Each module exports `name` and `async run({ quick })` returning rows
// `{ benchmark, value, unit, note? }`; add a module to BENCHMARKS to add rows.
// `--quick` asks each module for a smaller workload (CI).
import { parseArgs } from 'node:util';

const BENCHMARKS = ['./bench/spc.mjs', './bench/api.mjs'];

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });

const rows = [];
for (const path of BENCHMARKS) {
  const module = await import(new URL(path, import.meta.url).href);
  process.stderr.write(`bench: ${module.name}${args.quick ? ' (quick)' : ''}…\n`);
  rows.push(...(await module.run({ quick: args.quick })));
}

const format = (value) => (typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(value));
const table = [['Benchmark', 'Result', 'Unit', 'Note'], ...rows.map((row) => [row.benchmark, format(row.value), row.unit, row.note ?? ''])];
const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
const line = (row) => row.map((cell, column) => (column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
console.log(line(table[0]));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
