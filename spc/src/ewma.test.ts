import { describe, expect, it } from 'vitest';
import { flagged } from '../test/evaluateBoth.js';
import { QCC_EWMA_EXAMPLE as qccExample, significant } from '../test/referenceData.js';
import { ewmaDesign, ewmaHalfWidth, ewmaNext } from './ewma.js';
import { knownLimits } from './limits.js';

describe('EWMA limits against qcc ewma(x, lambda = 0.1, nsigmas = 3, std.dev = 0.8)', () => {
  // qcc centres the chart on the mean of x (printed as 99.13187).
  const center = qccExample.x.reduce((a, b) => a + b, 0) / qccExample.x.length;
  const design = ewmaDesign(center, qccExample.sigma, { lambda: qccExample.lambda, L: qccExample.nsigmas });
  it('uses the published centre', () => {
    expect(Number(center.toPrecision(7))).toBe(qccExample.center);
  });
  it.each([1, 2, 16])('matches the published limits at point %i (printed to 7 significant digits)', (i) => {
    const [lcl, ucl] = qccExample.limits[i]!;
    const halfWidth = ewmaHalfWidth(design, i);
    expect(center - halfWidth).toBeCloseTo(lcl, 4);
    expect(center + halfWidth).toBeCloseTo(ucl, 4);
    expect(significant(center - halfWidth)).toBe(significant(lcl));
    expect(significant(center + halfWidth)).toBe(significant(ucl));
  });

  it('reaches the asymptotic width L·σ·sqrt(λ/(2−λ)) and stays there', () => {
    const asymptotic = 3 * 0.8 * Math.sqrt(0.1 / 1.9);
    expect(ewmaHalfWidth(design, 1000)).toBe(asymptotic);
    expect(ewmaHalfWidth(design, 1)).toBeLessThan(asymptotic);
    expect(ewmaHalfWidth(design, design.stableFrom - 1)).toBeCloseTo(asymptotic, 14);
  });
});

describe('EWMA detector', () => {
  it('starts at the centre and smooths with λ', () => {
    const design = ewmaDesign(10, 1, { lambda: 0.2, L: 3 });
    expect(ewmaNext(design, 10, 15)).toBeCloseTo(11, 12);
  });

  it('with λ = 1 is the Shewhart chart: it flags exactly the R1 points', () => {
    const values = [0.5, 3.2, -1, -3.01, 2.99, 3, 0];
    const unit = knownLimits(0, 1);
    const config = { ewma: { lambda: 1, L: 3 } };
    expect(flagged('EWMA', values, unit, config)).toEqual(flagged('R1', values, unit, config));
    expect(flagged('EWMA', values, unit, config)).toEqual([1, 3]);
  });

  it('detects a sustained 1σ shift that no single point shows', () => {
    const values = [...Array(20).fill(0), ...Array(20).fill(1)];
    const hits = flagged('EWMA', values, knownLimits(0, 1), { ewma: { lambda: 0.1, L: 2.7 } });
    // z_i after the shift = 1 − 0.9^j; the asymptotic limit is 2.7·sqrt(0.1/1.9) = 0.6194, crossed at j = 10.
    expect(hits[0]).toBe(29);
    expect(hits).toEqual(Array.from({ length: 11 }, (_, i) => 29 + i));
    expect(flagged('R1', values, knownLimits(0, 1))).toEqual([]);
  });
});
