import { tableOf } from '../test/fixtures';
import type { Sample } from '../types';
import { rowsToDraw } from './rowsToDraw';

const sample = (index: number, latencyMs: number | null, status = 'ok', ucl: number | null = 1000): Sample => ({
  index,
  id: index,
  time: index,
  latencyMs,
  status,
  model: 'm',
  error: null,
  coldStart: null,
  center: ucl === null ? null : 800,
  ucl,
  lcl: ucl === null ? null : 600,
  sigma: null,
  ttftMs: null,
  totalDurationMs: null,
  loadDurationMs: null,
  promptEvalCount: null,
  promptEvalDurationMs: null,
  evalCount: null,
  evalDurationMs: null,
  tokensPerSecond: null,
  cpuPercent: null,
  memoryPercent: null,
  gpuPercent: null,
  gpuMemoryPercent: null,
});

/** 1 000 rows at t = 0..999, latency a saw tooth, charted on 10 columns of 100 ms. */
function series(make: (i: number) => Sample = (i) => sample(i, 800 + ((i * 7) % 13))): Sample[] {
  return Array.from({ length: 1000 }, (_, i) => make(i));
}

describe('rowsToDraw', () => {
  it('draws every row when there are no more than two per column', () => {
    expect(rowsToDraw(tableOf(series().slice(0, 20)), [0, 19], 10, [])).toBeNull();
    expect(rowsToDraw(tableOf(series()), [0, 1000], 0, [])).toBeNull();
    expect(rowsToDraw(tableOf(series()), [5, 5], 10, [])).toBeNull();
  });

  it('keeps first, last, lowest and highest answered probe of each column', () => {
    const s = series();
    const rows = rowsToDraw(tableOf(s), [0, 1000], 10, []);
    expect(rows).not.toBeNull();
    expect(rows!.length).toBeLessThanOrEqual(40);
    for (let column = 0; column < 10; column++) {
      const inColumn = s.slice(column * 100, column * 100 + 100);
      const kept = rows!.filter((r) => r >= column * 100 && r < column * 100 + 100).map((r) => s[r]);
      const latencies = (list: Sample[]) => list.map((x) => x.latencyMs as number);
      expect(kept[0]).toBe(inColumn[0]);
      expect(kept[kept.length - 1]).toBe(inColumn[99]);
      expect(Math.min(...latencies(kept))).toBe(Math.min(...latencies(inColumn)));
      expect(Math.max(...latencies(kept))).toBe(Math.max(...latencies(inColumn)));
    }
    expect(rows).toEqual([...rows!].sort((a, b) => a - b));
  });

  it('keeps every row asked for, in order, and the extremes of failed probes', () => {
    const s = series((i) => (i % 50 === 3 ? sample(i, 30_000 - i, 'timeout') : sample(i, 800)));
    const rows = rowsToDraw(tableOf(s), [0, 1000], 10, [417, 3, 999, 5000])!;
    expect(rows).toContain(417);
    expect(rows).not.toContain(5000);
    // Column 0 holds timeouts at 3 (30 000 − 3) and 53 (30 000 − 53): both extremes stay.
    expect(rows).toEqual(expect.arrayContaining([3, 53]));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
  });

  it('keeps a limit change and the row before it, so the stepped limits stay exact', () => {
    const s = series((i) => sample(i, 800, 'ok', i < 20 ? null : i < 555 ? 1000 : 1100));
    const rows = rowsToDraw(tableOf(s), [0, 1000], 10, [])!;
    expect(rows).toEqual(expect.arrayContaining([19, 20, 554, 555]));
    // Between two kept rows every skipped row carries the earlier kept row's limits.
    for (let k = 1; k < rows.length; k++) {
      for (let r = rows[k - 1] + 1; r < rows[k]; r++) {
        expect(s[r].ucl).toBe(s[rows[k - 1]].ucl);
      }
    }
  });

  it('thins a long series to a few rows per column', () => {
    const long = Array.from({ length: 100_000 }, (_, i) => sample(i, 800 + Math.sin(i) * 50));
    const rows = rowsToDraw(tableOf(long), [0, 100_000], 1200, [])!;
    expect(rows.length).toBeLessThanOrEqual(4 * 1201 + 2);
    expect(rows[0]).toBe(0);
    expect(rows[rows.length - 1]).toBe(99_999);
  });
});
