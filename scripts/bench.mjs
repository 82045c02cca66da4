#!/usr/bin/env node
// `npm run bench`: runs every benchmark module under bench/ and prints one table:
// what, figure, peer figure, ratio, goal (and a note on how it was measured).
// Each module exports `name` and `async run({ quick })` returning rows, either
// `{ what, figure, peer, ratio, goal, note? }` (cells as text) or
// `{ benchmark, value, unit, note? }` (a figure without a peer); add a module to BENCHMARKS
// to add rows. `--quick` asks each module for a smaller workload (CI); `--only a,b` runs
// the modules whose file names are listed. A module that fails gives a FAILED row and the
// others still run.
import os from 'node:os';
import { parseArgs } from 'node:util';

const BENCHMARKS = [
  './bench/spc.mjs',
  './bench/accuracy.mjs',
  './bench/ingest.mjs',
  './bench/apiChart.mjs',
  './bench/api.mjs',
  './bench/panel.mjs',
  './bench/viewer.mjs',
  './bench/scale.mjs',
  './bench/fleet.mjs',
  './bench/detection.mjs',
];

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = args.only?.split(',').map((name) => name.trim().replace(/\.mjs$/, ''));
const selected = only
  ? BENCHMARKS.filter((path) =>
      only.includes(
        path
          .split('/')
          .pop()
          .replace(/\.mjs$/, ''),
      ),
    )
  : BENCHMARKS;
if (selected.length === 0)
  throw new Error(`--only ${args.only}: no such benchmark; the modules are ${BENCHMARKS.map((p) => p.split('/').pop()).join(', ')}`);

const format = (value) => (typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(value));
const cells = (row) =>
  row.what !== undefined
    ? [row.what, row.figure ?? '', row.peer ?? '', row.ratio ?? '', row.goal ?? '', row.note ?? '']
    : [row.benchmark, `${format(row.value)} ${row.unit}`.trim(), '', '', '', row.note ?? ''];

const started = Date.now();
const rows = [];
for (const path of selected) {
  const module = await import(new URL(path, import.meta.url).href);
  const moduleStarted = Date.now();
  process.stderr.write(`bench: ${module.name}${args.quick ? ' (quick)' : ''}…\n`);
  try {
    rows.push(...(await module.run({ quick: args.quick })).map(cells));
  } catch (error) {
    process.stderr.write(`bench: ${module.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    rows.push([module.name, 'FAILED', '', '', '', String(error instanceof Error ? error.message : error).split('\n')[0]]);
  }
  process.stderr.write(`bench: ${module.name} took ${Math.round((Date.now() - moduleStarted) / 1000)} s\n`);
}

const [load1] = os.loadavg();
console.log(
  `${new Date().toISOString()} · ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}) · ${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version} · ${args.quick ? 'quick' : 'full'} size · ${Math.round((Date.now() - started) / 1000)} s · load average at the end ${load1.toFixed(1)}`,
);
const table = [['What', 'Figure', 'Peer figure', 'Ratio', 'Goal', 'Note'], ...rows];
const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
const line = (row) =>
  row
    .map((cell, column) => cell.padEnd(widths[column]))
    .join('  ')
    .trimEnd();
console.log(line(table[0]));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
