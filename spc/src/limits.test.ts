import { describe, expect, it } from 'vitest';
import { CONCENTRATION, significant } from '../test/referenceData.js';
import { c4 } from './constants.js';
import { estimateLimits, knownLimits, toDisplayLimits, windowLimits } from './limits.js';
import { evaluateRules } from './rules/evaluateRules.js';

describe('individuals-chart limits against Montgomery & Runger, Table 16-3', () => {
  const limits = estimateLimits([...CONCENTRATION]);

  it('reproduces the published centre, UCL and LCL to 4 significant digits', () => {
    // Published: CL = 99.1, UCL = 105.99, LCL = 92.21 (from x̄ = 99.1, MR̄ = 2.59).
    expect(significant(limits.center)).toBe(99.1);
    expect(significant(limits.ucl)).toBe(significant(105.99));
    expect(significant(limits.lcl)).toBe(92.21);
    expect(significant(limits.sigma * 1.128, 3)).toBe(2.59); // MR̄
    expect(limits).toMatchObject({ n: 20, sigmaMethod: 'mr', transform: 'none' });
  });

  it('finds no out-of-control point, as the book concludes', () => {
    expect(evaluateRules([...CONCENTRATION], limits).filter((hit) => hit.rule === 'R1')).toEqual([]);
  });

  it('estimates sigma from the median moving range (MR median 2.6 → 2.6/0.954)', () => {
    const mmr = estimateLimits([...CONCENTRATION], { sigma: 'mmr' });
    expect(significant(mmr.sigma)).toBe(significant(2.6 / 0.954));
    expect(mmr.center).toBe(limits.center);
  });

  it('estimates sigma from the sample standard deviation over c4(n)', () => {
    const sd = estimateLimits([...CONCENTRATION], { sigma: 'sd' });
    const mean = CONCENTRATION.reduce((a, b) => a + b, 0) / 20;
    const s = Math.sqrt(CONCENTRATION.reduce((a, x) => a + (x - mean) ** 2, 0) / 19);
    expect(sd.sigma).toBeCloseTo(s / c4(20), 12);
    expect(significant(c4(20))).toBe(0.9869);
  });
});

describe('Phase I cleaning', () => {
  it('drops points beyond 3σ once and takes moving ranges between the remaining neighbours', () => {
    const baseline = [
      10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 200,
    ];
    const raw = estimateLimits(baseline);
    expect(200).toBeGreaterThan(raw.ucl);
    const cleaned = estimateLimits(baseline, { clean: true });
    // 29 points remain, alternating 10/11: mean 10.4828, every moving range 1.
    expect(cleaned.n).toBe(29);
    expect(cleaned.center).toBeCloseTo(304 / 29, 12);
    expect(cleaned.sigma).toBeCloseTo(1 / 1.128, 12);
  });

  it('removes only once: a point beyond the recomputed limits stays in', () => {
    const baseline = [...Array.from({ length: 40 }, (_, i) => (i % 2 ? 10 : 11)), 14, 60];
    const cleaned = estimateLimits(baseline, { clean: true });
    expect(cleaned.n).toBe(41); // 60 removed; 14 was within the first-pass limits
    expect(14).toBeGreaterThan(cleaned.ucl);
  });

  it('keeps the first-pass limits when cleaning would leave fewer than 2 points', () => {
    // Two flat halves: the moving-range sigma is tiny, so every point is beyond 3σ.
    const halves = [...Array(10).fill(0), ...Array(10).fill(1000)];
    expect(estimateLimits(halves, { clean: true })).toEqual(estimateLimits(halves));
  });
});

describe('log transform', () => {
  it('charts ln(x) and back-transforms asymmetric display limits', () => {
    const values = [100, 120, 90, 110, 105, 95, 130, 85];
    const limits = estimateLimits(values, { transform: 'log' });
    const logs = values.map(Math.log);
    expect(limits.center).toBeCloseTo(logs.reduce((a, b) => a + b) / logs.length, 12);
    const display = toDisplayLimits(limits);
    expect(display.center).toBeCloseTo(Math.exp(limits.center), 9);
    expect(display.ucl).toBeCloseTo(Math.exp(limits.center + 3 * limits.sigma), 9);
    expect(display.lcl).toBeCloseTo(Math.exp(limits.center - 3 * limits.sigma), 9);
    expect(display.ucl - display.center).toBeGreaterThan(display.center - display.lcl);
    expect(display.minus2).toBeLessThan(display.minus1);
    expect(display.sigma).toBeCloseTo((display.plus1 - display.minus1) / 2, 12);
  });

  it('names the point that cannot be log-transformed', () => {
    expect(() => estimateLimits([5, 0, 3], { transform: 'log' })).toThrow(/point 2: value 0 cannot be log-transformed/);
  });
});

describe('known limits, display limits, window limits, bad input', () => {
  it('builds ±3σ limits from a known centre and sigma', () => {
    expect(knownLimits(50, 2)).toMatchObject({ center: 50, sigma: 2, ucl: 56, lcl: 44, n: 0 });
    expect(toDisplayLimits(knownLimits(50, 2))).toEqual({
      center: 50,
      sigma: 2,
      ucl: 56,
      lcl: 44,
      plus1: 52,
      minus1: 48,
      plus2: 54,
      minus2: 46,
    });
  });

  it('computes a window mean ± 3·MR̄/1.128', () => {
    const w = windowLimits([...CONCENTRATION]);
    expect(significant(w.mean)).toBe(99.1);
    expect(significant(w.ucl)).toBe(106);
    expect(windowLimits([7])).toEqual({ mean: 7, sigma: 0, ucl: 7, lcl: 7 });
    expect(() => windowLimits([])).toThrow(/at least 1 point/);
  });

  it('refuses fewer than 2 points, non-finite values and unknown options', () => {
    expect(() => estimateLimits([1])).toThrow(/at least 2 points, got 1/);
    expect(() => estimateLimits([1, Number.NaN])).toThrow(/point 2: value NaN is not a finite number/);
    expect(() => estimateLimits([1, 2], { sigma: 'range' as never })).toThrow(/mr, mmr or sd/);
    expect(() => knownLimits(0, -1)).toThrow(/sigma must be a finite number >= 0/);
  });
});
