import { describe, expect, it } from 'vitest';
import { cusumArl, solveDecisionInterval, twoSidedCusumArl } from './cusumArl.js';

describe('Brook–Evans CUSUM ARL', () => {
  // Montgomery, Introduction to Statistical Quality Control, Table 9.3 (two-sided, k = 0.5).
  it.each([
    [4, 168],
    [5, 465],
  ])('k = 0.5, h = %d: in-control ARL %d', (h, expected) => {
    expect(twoSidedCusumArl(0.5, h)).toBeCloseTo(expected, -1);
  });

  it('k = 0.5, h = 5: a 1σ shift is caught in 10.4 points on average (Table 9.3)', () => {
    expect(cusumArl(0.5, 5, { mean: 1, sd: 1, clip: Infinity })).toBeCloseTo(10.4, 0);
  });

  it('winsorising the input lengthens the in-control ARL', () => {
    expect(cusumArl(0.5, 4, { mean: 0, sd: 1, clip: 1.5 })).toBeGreaterThan(cusumArl(0.5, 4));
  });

  it('solving for a target ARL inverts the ARL', () => {
    const h = solveDecisionInterval((x) => twoSidedCusumArl(0.5, x), 465);
    expect(h).toBeCloseTo(5, 2);
  });

  it('refuses a target no interval up to the limit reaches', () => {
    // The process mean sits above k: the sum drifts up and the ARL stays small for any h.
    expect(() => solveDecisionInterval((h) => cusumArl(0.5, h, { mean: 1, sd: 1, clip: Infinity }), 1e6, 50)).toThrow(
      /no decision interval up to h = 50/,
    );
  });

  it('refuses bad arguments with the name of the problem', () => {
    expect(() => cusumArl(0.5, 0)).toThrow(/h must be/);
    expect(() => solveDecisionInterval(() => 10, 1)).toThrow(/target ARL/);
  });
});

describe('solveDecisionInterval from a guess', () => {
  it('finds the same interval wherever the guess lies, in fewer chains when it is near', () => {
    const input = { mean: 0.3, sd: 1.1, clip: Infinity };
    let chains = 0;
    const arlOf = (h: number) => {
      chains++;
      return cusumArl(0.9, h, input, 40);
    };
    const cold = solveDecisionInterval(arlOf, 50_000, 60);
    const coldChains = chains;
    for (const guess of [cold * 1.05, cold * 0.9, 0.06, 0.5, 40, 59.9, 1000]) {
      chains = 0;
      const warm = solveDecisionInterval(arlOf, 50_000, 60, guess);
      expect(Math.abs(Math.log(arlOf(warm) / 50_000))).toBeLessThan(1e-3);
      if (guess === cold * 1.05) expect(chains).toBeLessThan(coldChains);
    }
    // A target no interval reaches is still reported, guess or not.
    const shifted = (h: number) => cusumArl(0.5, h, { mean: 1, sd: 1, clip: Infinity });
    expect(() => solveDecisionInterval(shifted, 1e6, 50, 30)).toThrow(/no decision interval up to h = 50/);
  });
});
