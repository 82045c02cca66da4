import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { positiveSeries, ruleConfig, series } from '../test/arbitraries.js';
import { estimateLimits } from './limits.js';
import { SeriesMonitor, type MonitorResult, type SeriesMonitorOptions } from './monitor.js';
import { evaluateRules } from './rules/evaluateRules.js';

/**
 * The batch recomputation a monitor must equal: the limits in force for point p come from the
 * points before it (all of them in Phase I, the first baselineSize once frozen, the last W in
 * rolling mode), and the point's hits are evaluateRules over the series since the baseline
 * started (frozen) or over the window plus the point (rolling), read at that point.
 */
function recompute(
  values: number[],
  opts: Required<Omit<SeriesMonitorOptions, 'rules'>> & Pick<SeriesMonitorOptions, 'rules'>,
): MonitorResult[] {
  const estimate = (prior: number[]) => estimateLimits(prior, { sigma: opts.sigma, transform: opts.transform, clean: opts.clean });
  return values.map((_, p) => {
    const prior = opts.mode === 'rolling' ? values.slice(Math.max(0, p - opts.window), p) : values.slice(0, Math.min(p, opts.baselineSize));
    if (prior.length < opts.minPoints) return { limits: null, hits: [] };
    const limits = estimate(prior);
    const judged = opts.mode === 'rolling' ? [...prior, values[p]!] : values.slice(0, p + 1);
    const last = judged.length - 1;
    const hits = evaluateRules(judged, limits, opts.rules)
      .filter((hit) => hit.index === last)
      .map((hit) => hit.rule);
    return { limits, hits };
  });
}

const monitorOptions = fc
  .record({
    baselineSize: fc.integer({ min: 2, max: 40 }),
    minFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    sigma: fc.constantFrom('mr' as const, 'mmr' as const, 'sd' as const),
    clean: fc.boolean(),
    mode: fc.constantFrom('frozen' as const, 'rolling' as const),
    window: fc.integer({ min: 2, max: 40 }),
    rules: ruleConfig,
  })
  .map(({ minFraction, ...rest }) => {
    const span = rest.mode === 'rolling' ? rest.window : rest.baselineSize;
    return { ...rest, minPoints: 2 + Math.floor(minFraction * (span - 2)) };
  });

function runWithRestore(opts: SeriesMonitorOptions, values: number[], cut: number): MonitorResult[] {
  let monitor = new SeriesMonitor(opts);
  return values.map((value, index) => {
    if (index === cut) monitor = SeriesMonitor.restore(JSON.parse(JSON.stringify(monitor.snapshot())));
    return monitor.push(value);
  });
}

describe('SeriesMonitor incremental == batch recomputation', () => {
  const bounded = (values: number[]) => values.slice(0, 120).map((v) => Math.max(-1e6, Math.min(1e6, v)));

  it('frozen and rolling, on the plain scale, across a snapshot/restore', () => {
    fc.assert(
      fc.property(series(6).map(bounded), monitorOptions, fc.nat(), (values, opts, cutSeed) => {
        const full = { ...opts, transform: 'none' as const };
        const cut = cutSeed % (values.length + 1);
        expect(runWithRestore(full, values, cut)).toEqual(recompute(values, full));
      }),
      { numRuns: 250 },
    );
  });

  it('under the log transform', () => {
    fc.assert(
      fc.property(
        positiveSeries(6).map((v) => v.slice(0, 120)),
        monitorOptions,
        fc.nat(),
        (values, opts, cutSeed) => {
          const full = { ...opts, transform: 'log' as const };
          const cut = cutSeed % (values.length + 1);
          expect(runWithRestore(full, values, cut)).toEqual(recompute(values, full));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('SeriesMonitor phases', () => {
  const steady = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => 100 + offset + (i % 2 ? 1 : -1) * ((i * 7) % 5));

  it('gives no limits before minPoints, provisional limits in Phase I, then freezes', () => {
    const monitor = new SeriesMonitor({ baselineSize: 30, minPoints: 10 });
    const results = steady(40).map((v) => monitor.push(v));
    expect(results.slice(0, 10).every((r) => r.limits === null && r.hits.length === 0)).toBe(true);
    expect(results[10]!.limits).toEqual(estimateLimits(steady(10), { clean: true }));
    expect(results[30]!.limits).toEqual(estimateLimits(steady(30), { clean: true }));
    expect(results[39]!.limits).toBe(results[30]!.limits);
    expect(monitor.frozenLimits).toEqual(results[30]!.limits);
  });

  it('judges a spike on limits it did not widen, and flags a shift after freezing', () => {
    const monitor = new SeriesMonitor({ baselineSize: 30, minPoints: 10 });
    for (const v of steady(30)) monitor.push(v);
    expect(monitor.push(500).hits).toContain('R1');
    const shifted = steady(9, 6).map((v) => monitor.push(v));
    expect(shifted[8]!.hits).toContain('R2');
  });

  it('rebaseline starts a new Phase I', () => {
    const monitor = new SeriesMonitor({ baselineSize: 20, minPoints: 5 });
    for (const v of steady(25)) monitor.push(v);
    monitor.rebaseline();
    expect(monitor.frozenLimits).toBeNull();
    const after = steady(6, 50).map((v) => monitor.push(v));
    expect(after.slice(0, 5).every((r) => r.limits === null)).toBe(true);
    expect(after[5]!.limits!.center).toBeCloseTo(estimateLimits(steady(5, 50)).center, 12);
  });

  it('rolling mode follows the last W points', () => {
    const monitor = new SeriesMonitor({ mode: 'rolling', window: 10, minPoints: 5, clean: false });
    const values = [...steady(10), ...steady(10, 20)];
    const results = values.map((v) => monitor.push(v));
    expect(results[19]!.limits).toEqual(estimateLimits(values.slice(9, 19)));
  });

  it('refuses bad options and bad values, naming them', () => {
    expect(() => new SeriesMonitor({ minPoints: 1 })).toThrow(/minPoints must be an integer from 2 to baselineSize \(100\), got 1/);
    expect(() => new SeriesMonitor({ baselineSize: 10, minPoints: 20 })).toThrow(/minPoints/);
    expect(() => new SeriesMonitor({ mode: 'sliding' as never })).toThrow(/frozen or rolling/);
    expect(() => new SeriesMonitor({ rules: { cusum: { k: -1, h: 4 } } })).toThrow(/cusum.k/);
    const monitor = new SeriesMonitor({ transform: 'log' });
    expect(() => monitor.push(-3)).toThrow(/must be > 0/);
    expect(monitor.snapshot().history).toEqual([]);
    expect(() => SeriesMonitor.restore({ ...monitor.snapshot(), version: 9 as never })).toThrow(/version 9/);
  });
});
