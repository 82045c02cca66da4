import { describe, expect, it } from 'vitest';
import {
  designDetector,
  designKnownLimits,
  H_LIMIT,
  INDIFFERENCE,
  isDesignCached,
  robustBaseline,
  roundBaselinePoints,
} from './alertDesign.js';
import { cusumArl } from './cusumArl.js';
import { seededNormal } from './normal.js';

const CV8 = Math.log(1.2) / Math.sqrt(Math.log(1 + 0.08 ** 2)); // +20 % in σ units at CV 8 %
const request = { effectSigmas: CV8, baselinePoints: 100, arlCritical: 40_320, arlWarning: 5_760 };

describe('alert detector design', () => {
  it('with exact limits, the ARL at the edge of the indifference zone meets each target', () => {
    const design = designKnownLimits(request);
    const edge = { mean: INDIFFERENCE * design.effect, sd: 1, clip: Infinity };
    expect(cusumArl(design.k, design.hCritical, edge) / 40_320).toBeCloseTo(1, 1);
    expect(cusumArl(design.k, design.hWarning, edge) / 5_760).toBeCloseTo(1, 1);
  });

  it('estimated limits get wider intervals than exact ones (Gandy & Kvaløy adjustment)', () => {
    const exact = designKnownLimits(request);
    const adjusted = designDetector(request);
    expect(adjusted.hCritical).toBeGreaterThan(exact.hCritical);
    expect(adjusted.hWarning).toBeGreaterThan(exact.hWarning);
    expect(adjusted.budgetMet).toBe(true);
  });

  it('charts built on fresh 100-point baselines keep the critical ARL target in about 90 % of cases', () => {
    const design = designDetector(request);
    const normal = seededNormal(7);
    let kept = 0;
    const charts = 120;
    for (let c = 0; c < charts; c++) {
      const baseline = Array.from({ length: 100 }, normal);
      const { center, sigma } = robustBaseline(baseline);
      // This chart's k is 0.8 δ in its own σ units; the true process sits at the indifference edge.
      const k = design.k / sigma;
      const arl = cusumArl(
        k,
        design.hCritical,
        { mean: (INDIFFERENCE * design.effect - center) / sigma, sd: 1 / sigma, clip: Infinity },
        40,
      );
      if (arl >= 40_320) kept++;
    }
    expect(kept / charts).toBeGreaterThan(0.8);
  });

  it('a series too noisy for its minimum effect is capped and says so', () => {
    const design = designDetector({ ...request, effectSigmas: 0.6 });
    expect(design.hCritical).toBe(H_LIMIT);
    expect(design.budgetMet).toBe(false);
  });

  it('the robust baseline drops a timeout-like point before estimating', () => {
    const values: number[] = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 1 : 1.1));
    values[10] = 50;
    const { center, kept } = robustBaseline(values);
    expect(kept).toBe(49);
    expect(center).toBeCloseTo(1.05, 2);
  });
});

describe('the baseline size a design assumes', () => {
  it('is m rounded down, never by more than 12.5 %, and exact below 16', () => {
    expect([2, 10, 15, 16, 17, 31, 32, 35, 93, 95, 96, 99, 100, 130].map(roundBaselinePoints)).toEqual([
      2, 10, 15, 16, 16, 30, 32, 32, 88, 88, 96, 96, 96, 128,
    ]);
    for (let m = 2; m <= 2000; m++) {
      const rounded = roundBaselinePoints(m);
      expect(rounded).toBeLessThanOrEqual(m);
      expect(rounded).toBeGreaterThanOrEqual(0.875 * m);
      expect(rounded).toBeGreaterThanOrEqual(roundBaselinePoints(m - 1));
    }
  });

  it('lets series whose cleaning kept 96-99 points share one design', () => {
    // A minimum effect no other test uses, so the cache starts without it.
    const request = { effectSigmas: 1.72, baselinePoints: 99, arlCritical: 604_800, arlWarning: 86_400 };
    expect(isDesignCached({ ...request, baselinePoints: 96 })).toBe(false);
    const design = designDetector(request);
    for (const baselinePoints of [96, 97, 98]) expect(designDetector({ ...request, baselinePoints })).toBe(design);
    expect(isDesignCached({ ...request, baselinePoints: 95 })).toBe(false);
  });

  it('is on the safe side: fewer points assumed give a wider interval', () => {
    const request = { effectSigmas: 2.2, arlCritical: 40_000, arlWarning: 5000 };
    const fewer = designDetector({ ...request, baselinePoints: 40 });
    const more = designDetector({ ...request, baselinePoints: 128 });
    expect(fewer.hCritical).toBeGreaterThan(more.hCritical);
  });
});
