import { describe, expect, it } from 'vitest';
import { c4, D2_MOVING_RANGE } from './constants.js';
import { significant } from '../test/referenceData.js';

describe('c4(n)', () => {
  // Montgomery, Introduction to Statistical Quality Control, Appendix VI (factors for control charts).
  it.each([
    [2, 0.7979],
    [3, 0.8862],
    [4, 0.9213],
    [5, 0.94],
    [10, 0.9727],
    [20, 0.9869],
    [25, 0.9896],
  ])('c4(%i) = %f', (n, published) => {
    expect(significant(c4(n))).toBe(published);
  });

  it('tends to 1 for large n and refuses n < 2', () => {
    expect(c4(10_000)).toBeCloseTo(1, 4);
    expect(c4(10_000)).toBeLessThan(1);
    expect(() => c4(1)).toThrow(/n >= 2/);
    expect(() => c4(2.5)).toThrow(RangeError);
  });

  it('d2 for span-2 moving ranges is 2/sqrt(pi) to three decimals', () => {
    expect(D2_MOVING_RANGE).toBe(Number((2 / Math.sqrt(Math.PI)).toFixed(3)));
  });
});
