// `llmscope analyze --alerts` and the SPC edges of issue 11 (σ = 0, --time-column, EPIPE, 1e309,
// --clean's N), run on the built binary as a user would. Build first: `npm run build:node`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, runCliToEnd, type CliRun } from '../helpers/cliProcess.js';

vi.setConfig({ testTimeout: 60_000 });

const llmscope = (...args: string[]) => runCliToEnd(args);

/** A shell pipeline, for what only a pipe shows (EPIPE). */
function shell(script: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('/bin/bash', ['-c', script], { timeout: 50_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Json {
  points: number;
  baseline?: { points: number; kept: number };
  violations: { index: number; rule: string; timestamp?: string }[];
  alerts?: { start: number; end: number; severity: string; detector: string; effect: number; timestamp?: string }[];
}
async function json(...args: string[]): Promise<Json> {
  const run = await llmscope('analyze', ...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Json;
}

/** Latencies around 1 700 ms, CV ~8 %, from a fixed generator; × factor(i). */
function latencies(count: number, factor: (i: number) => number): string[] {
  let state = 7;
  const uniform = () => (state = (state * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, i) =>
    (1700 * factor(i) * Math.exp(0.08 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()))).toFixed(1),
  );
}

let scratch: string;
const file = async (name: string, lines: string[]) => {
  const path = join(scratch, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'llmscope-alerts-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('llmscope analyze --alerts', () => {
  it('lists one critical CUSUM alert for a ×2 step, 1-based, with its effect; the chart keeps its contract', async () => {
    const path = await file(
      'step.txt',
      latencies(400, (i) => (i >= 300 ? 2 : 1)),
    );
    const result = await json(path, '--alerts');
    const paging = result.alerts!.filter((a) => a.severity !== 'info');
    expect(paging).toHaveLength(1);
    expect(paging[0]).toMatchObject({ severity: 'critical', detector: 'CUSUM', end: 400 });
    expect(paging[0]!.start).toBeGreaterThanOrEqual(302); // the 301st point is the step's first
    expect(paging[0]!.start).toBeLessThanOrEqual(303);
    expect(paging[0]!.effect).toBeGreaterThan(0.8);
    expect(Object.keys(result)).toEqual(['center', 'sigma', 'ucl', 'lcl', 'points', 'baseline', 'violations', 'alerts']);
  });

  it('stays quiet on an in-control series the chart flags many times', async () => {
    const path = await file(
      'steady.txt',
      latencies(3000, () => 1),
    );
    const result = await json(path, '--alerts');
    expect(result.violations.length).toBeGreaterThan(20);
    expect(result.alerts!.filter((a) => a.severity !== 'info')).toEqual([]);
  });

  it('prints the alert episodes in the table', async () => {
    const path = await file(
      'step-table.txt',
      latencies(400, (i) => (i >= 300 ? 2 : 1)),
    );
    const run = await llmscope('analyze', path, '--alerts', '--interval', '30s', '--min-effect', '0.3');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+30[23]\s+400\s+critical\s+CUSUM\s+\+\d+\.\d %$/m);
  });

  it('refuses alert flags without --alerts and a bad interval, in one line', async () => {
    const path = await file('two.txt', ['1', '2']);
    for (const [args, message] of [
      [['--interval', '15s'], /--interval configures the alert policy: add --alerts/],
      [['--alerts', '--interval', 'soon'], /--interval must be a positive duration such as 15s/],
      [['--alerts', '--min-effect', '0'], /--min-effect must be a number in \(0, 10\]/],
    ] as const) {
      const run = await llmscope('analyze', path, ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('llmscope analyze edges', () => {
  it('refuses an estimated sigma of 0 (a constant baseline) instead of flagging every point', async () => {
    const path = await file('constant.txt', ['1.5', '1.5', '1.5', '1.5']);
    const run = await llmscope('analyze', path, '--ewma');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^llmscope analyze: the 4 baseline points are all equal, so the estimated sigma is 0/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a sigma of 0 left by --clean', async () => {
    const path = await file('clean-constant.txt', [...Array(30).fill('10'), '90', '10']);
    const run = await llmscope('analyze', path, '--clean');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/baseline points kept by --clean are all equal/);
  });

  it('puts the points --clean kept in the JSON', async () => {
    const path = await file('clean.txt', [...Array.from({ length: 29 }, (_, i) => (i % 2 ? '10' : '11')), '60', '10']);
    const result = await json(path, '--baseline', '30', '--clean');
    expect(result.baseline).toEqual({ points: 30, kept: 29 });
  });

  it('orders newest-first rows by --time-column and stamps every violation and alert', async () => {
    const values = latencies(400, (i) => (i >= 300 ? 2 : 1));
    const start = Date.UTC(2026, 0, 1);
    const rows = values.map((v, i) => `${new Date(start + i * 15_000).toISOString()},${v}`).reverse();
    const csv = await file('newest-first.csv', ['ts,latency_ms', ...rows]);
    const ordered = await file('oldest-first.txt', values);
    const byTime = await json(csv, '--column', 'latency_ms', '--time-column', 'ts', '--alerts');
    const plain = await json(ordered, '--alerts');
    expect(byTime.violations.map(({ index, rule }) => ({ index, rule }))).toEqual(plain.violations);
    expect(byTime.violations[0]!.timestamp).toBe(new Date(start + (byTime.violations[0]!.index - 1) * 15_000).toISOString());
    const critical = byTime.alerts!.find((a) => a.severity === 'critical')!;
    expect(critical.timestamp).toBe(new Date(start + (critical.start - 1) * 15_000).toISOString());
  });

  it('says in --help that file order is time order without --time-column', async () => {
    const run = await llmscope('analyze', '--help');
    expect(run.stdout).toMatch(/file order is the time order/i);
  });

  it('refuses --time-column without --column and an unreadable time, naming the line', async () => {
    const csv = await file('times.csv', ['ts,latency_ms', '2026-01-01T00:00:00Z,10', 'yesterday,11']);
    expect((await llmscope('analyze', csv, '--time-column', 'ts')).stderr).toMatch(/--time-column needs --column/);
    expect((await llmscope('analyze', csv, '--column', 'latency_ms', '--time-column', 'ts')).stderr).toMatch(
      /line 3: 'yesterday' is not a time \(column 'ts'/,
    );
  });

  it('exits quietly when the reader of its table stops early (| head)', async () => {
    const path = await file(
      'long.txt',
      Array.from({ length: 20_000 }, (_, i) => (i % 2 ? '1' : '100')),
    );
    const run = await shell(`set -o pipefail; "${process.execPath}" "${BIN}" analyze "${path}" --center 50 --sigma-value 1 | head -n 3`);
    expect(run.stdout.split('\n').length).toBeLessThanOrEqual(4);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('calls 1e309 too large, in the file and in an option', async () => {
    const path = await file('huge.txt', ['1', '1e309']);
    expect((await llmscope('analyze', path)).stderr).toMatch(/line 2: '1e309' is too large/);
    const ok = await file('ok.txt', ['1', '2']);
    expect((await llmscope('analyze', ok, '--center', '1e309', '--sigma-value', '1')).stderr).toMatch(
      /--center must be a number, got '1e309', which is too large/,
    );
  });
});
