// Runs the built `llmscope` binary (collector/bin/llmscope.js → dist/cli.js) as a user would.
// Build first: `npm run build:node` at the repository root (the root `npm test` does).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectBuiltCli, runCliToEnd } from '../helpers/cliProcess.js';

// Each case starts a Node process that loads the whole CLI; on a busy machine that takes seconds.
vi.setConfig({ testTimeout: 60_000 });

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const llmscope = (...args: string[]) => runCliToEnd(args);

async function analyzeJson(...args: string[]) {
  const run = await llmscope('analyze', ...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as {
    center: number;
    sigma: number;
    ucl: number;
    lcl: number;
    points: number;
    violations: { index: number; rule: string }[];
  };
}

const sig4 = (value: number) => Number(value.toPrecision(4));
let scratch: string;

beforeAll(async () => {
  expectBuiltCli();
  scratch = await mkdtemp(join(tmpdir(), 'llmscope-analyze-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function scratchFile(name: string, lines: (number | string)[]): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

describe('llmscope analyze on published data (Montgomery & Runger, Table 16-3)', () => {
  it('prints the published limits: CL 99.1, UCL 105.99, LCL 92.21, no violation', async () => {
    const result = await analyzeJson(fixture('concentration.txt'));
    expect(result.points).toBe(20);
    expect(sig4(result.center)).toBe(99.1);
    expect(sig4(result.ucl)).toBe(sig4(105.99));
    expect(sig4(result.lcl)).toBe(92.21);
    expect(sig4(result.sigma * 1.128)).toBe(2.589); // MR̄ = 2.59
    expect(result.violations).toEqual([]);
    expect(Object.keys(result)).toEqual(['center', 'sigma', 'ucl', 'lcl', 'points', 'violations']);
  });

  it('reads the same data from a CSV column', async () => {
    const fromCsv = await analyzeJson(fixture('concentration.csv'), '--column', 'concentration');
    expect(fromCsv).toEqual(await analyzeJson(fixture('concentration.txt')));
  });

  it('runs the tabular CUSUM of Example 16-6 (μ0 = 99, K = 1): silent at H = 10, sL = 3.2 > 3 at observation 2', async () => {
    // σ = 1 makes k = K and h = H; with σ = 1 the Shewhart rules fire too, so only CUSUM is read.
    const known = ['--center', '99', '--sigma-value', '1', '--cusum', '--k', '1'];
    const cusum = async (h: string) =>
      (await analyzeJson(fixture('concentration.txt'), ...known, '--h', h)).violations.filter((v) => v.rule === 'CUSUM');
    expect(await cusum('10')).toEqual([]);
    expect(await cusum('3')).toEqual([{ index: 2, rule: 'CUSUM' }]);
  });

  it('prints a readable table without --json', async () => {
    const run = await llmscope('analyze', fixture('concentration.txt'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/20 points/);
    expect(run.stdout).toMatch(/UCL\s+105\.98/);
    expect(run.stdout).toMatch(/LCL\s+92\.20/);
    expect(run.stdout).toMatch(/No rule violations\./);
  });
});

describe('llmscope analyze rules and options', () => {
  it('reports 1-based indices of each rule, with known limits', async () => {
    // Points 2..11 are all above the centre (3.5 then nine 0.5s): R2 completes at point 10.
    const path = await scratchFile('rules.txt', [0, 3.5, ...Array(9).fill(0.5), 0, -3.01]);
    const result = await analyzeJson(path, '--center', '0', '--sigma-value', '1');
    expect(result.violations).toEqual([
      { index: 2, rule: 'R1' },
      { index: 10, rule: 'R2' },
      { index: 11, rule: 'R2' },
      { index: 13, rule: 'R1' },
    ]);
    const table = await llmscope('analyze', path, '--center', '0', '--sigma-value', '1');
    expect(table.stdout).toMatch(/^\s+2\s+2\s+3\.5\s+R1\s+critical\s+Beyond 3σ$/m);
    expect(table.stdout).toMatch(/4 violations on 4 points\./);
  });

  it('switches to the Western Electric preset and adds EWMA', async () => {
    const path = await scratchFile('we.txt', [...Array(8).fill(0.4), 0.4]);
    const result = await analyzeJson(
      path,
      '--center',
      '0',
      '--sigma-value',
      '1',
      '--rules',
      'western-electric',
      '--ewma',
      '--lambda',
      '0.5',
      '--L',
      '1',
    );
    expect(result.violations.filter((v) => v.rule === 'WE4').map((v) => v.index)).toEqual([8, 9]);
    expect(result.violations.some((v) => v.rule.startsWith('R'))).toBe(false);
    // EWMA with λ = 0.5, L = 1: z → 0.4, limit half-width → sqrt(1/3) = 0.577 (never crossed) …
    expect(result.violations.some((v) => v.rule === 'EWMA')).toBe(false);
  });

  it('estimates from a baseline and cleans it', async () => {
    const steady = Array.from({ length: 30 }, (_, i) => (i % 2 ? 10 : 11));
    const path = await scratchFile('baseline.txt', [...steady.slice(0, 29), 60, 10, 11, 30]);
    const all = await analyzeJson(path, '--baseline', '30');
    const cleaned = await analyzeJson(path, '--baseline', '30', '--clean');
    // The 60 is dropped; the 29 kept points alternate 11/10 (15 elevens, 14 tens), every moving range 1.
    expect(cleaned.sigma).toBeLessThan(all.sigma / 2);
    expect(cleaned.center).toBeCloseTo(305 / 29, 12);
    expect(cleaned.sigma).toBeCloseTo(1 / 1.128, 12);
    expect(cleaned.violations).toContainEqual({ index: 33, rule: 'R1' });
  });

  it('back-transforms the limits for --transform log', async () => {
    const values = [100, 120, 90, 110, 105, 95, 130, 85];
    const path = await scratchFile('log.txt', values);
    const result = await analyzeJson(path, '--transform', 'log');
    const logs = values.map(Math.log);
    const center = logs.reduce((a, b) => a + b) / logs.length;
    expect(result.center).toBeCloseTo(Math.exp(center), 9);
    expect(result.ucl - result.center).toBeGreaterThan(result.center - result.lcl);
  });

  it('supports the mmr and sd estimators', async () => {
    const mmr = await analyzeJson(fixture('concentration.txt'), '--sigma', 'mmr');
    expect(sig4(mmr.sigma)).toBe(sig4(2.6 / 0.954));
    const sd = await analyzeJson(fixture('concentration.txt'), '--sigma', 'sd');
    expect(sd.sigma).toBeGreaterThan(0);
    expect(sd.center).toBe(mmr.center);
  });
});

describe('llmscope analyze bad input: one line on stderr, exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an empty file', [fixture('empty.txt')], /empty\.txt is empty/],
    ['a file of blank lines', [fixture('blank.txt')], /blank\.txt is empty/],
    ['a non-number on line 7', [fixture('line7.txt')], /line 7: 'abc' is not a number/],
    [
      'a missing column',
      [fixture('concentration.csv'), '--column', 'latency_ms'],
      /column 'latency_ms' not found; the header has: 'observation', 'concentration', 'moving_range'/,
    ],
    [
      'an empty CSV cell',
      [fixture('concentration.csv'), '--column', 'moving_range'],
      /line 2: '' is not a number \(column 'moving_range'\)/,
    ],
    ['fewer than 2 points', [fixture('one-point.txt')], /need at least 2 points to chart, the file has 1/],
    ['a missing file', ['/nonexistent/points.txt'], /cannot read \/nonexistent\/points\.txt: no such file/],
    ['a bad --sigma', [fixture('concentration.txt'), '--sigma', 'range'], /'range' is invalid\. Allowed choices are mr, mmr, sd/],
    ['a bad --baseline', [fixture('concentration.txt'), '--baseline', 'ten'], /--baseline must be an integer >= 2, got 'ten'/],
    ['a --baseline beyond the file', [fixture('concentration.txt'), '--baseline', '50'], /--baseline 50 is more than the 20 points/],
    ['a bad --lambda', [fixture('concentration.txt'), '--ewma', '--lambda', '1.5'], /--lambda must be in \(0, 1\], got '1\.5'/],
    ['--lambda without --ewma', [fixture('concentration.txt'), '--lambda', '0.3'], /add --ewma/],
    ['--center without --sigma-value', [fixture('concentration.txt'), '--center', '99'], /--center and --sigma-value go together/],
    [
      'a non-positive value under log',
      [fixture('line7.txt').replace('line7', 'concentration'), '--transform', 'log', '--center', '-1', '--sigma-value', '1'],
      /--center -1 must be > 0/,
    ],
    ['an unknown option', [fixture('concentration.txt'), '--bogus'], /unknown option '--bogus'/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const run = await llmscope('analyze', ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^llmscope analyze: /);
  });
});
