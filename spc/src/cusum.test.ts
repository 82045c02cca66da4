import { describe, expect, it } from 'vitest';
import { flagged } from '../test/evaluateBoth.js';
import { CONCENTRATION, CONCENTRATION_TABULAR_CUSUM as table } from '../test/referenceData.js';
import { cusumDesign, cusumLowerNext, cusumUpperNext } from './cusum.js';
import { knownLimits } from './limits.js';

describe('tabular CUSUM against Montgomery & Runger, Example 16-6 (μ0 = 99, K = 1, H = 10)', () => {
  // σ = 1 makes k = K and h = H in sigma units.
  const design = cusumDesign(99, 1, { k: 1, h: 10 });

  it('reproduces the upper and lower sums of Table 16-8', () => {
    let upper = 0;
    let lower = 0;
    CONCENTRATION.forEach((x, i) => {
      upper = cusumUpperNext(design, upper, x);
      lower = cusumLowerNext(design, lower, x);
      expect(upper.toFixed(1)).toBe(table.upper[i]!.toFixed(1));
      expect(lower.toFixed(1)).toBe(table.lower[i]!.toFixed(1));
    });
  });

  it('never signals with H = 10, as the book concludes', () => {
    expect(flagged('CUSUM', [...CONCENTRATION], knownLimits(99, 1), { cusum: { k: 1, h: 10 } })).toEqual([]);
  });

  it('signals where a sum exceeds a smaller H (sL = 3.2 at observation 2)', () => {
    expect(flagged('CUSUM', [...CONCENTRATION], knownLimits(99, 1), { cusum: { k: 1, h: 3 } })).toEqual([1]);
  });

  it('scales k and h by sigma', () => {
    const scaled = flagged('CUSUM', [...CONCENTRATION], knownLimits(99, 2), { cusum: { k: 0.5, h: 1.5 } });
    expect(scaled).toEqual([1]);
  });
});

describe('no automatic reset (restart happens at re-baseline)', () => {
  it('keeps flagging while the sum stays above h', () => {
    const values = [...Array(5).fill(0), ...Array(10).fill(2)];
    // Each shifted point adds 2 − 0.5 = 1.5σ: C⁺ = 1.5, 3, 4.5, 6 > 5 from the 4th shifted point (index 8) on.
    expect(flagged('CUSUM', values, knownLimits(0, 1), { cusum: { k: 0.5, h: 5 } })).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });
});
