import { deviationSigma, isLogScaled, zoneLines } from './zones';

describe('zoneLines', () => {
  it('splits symmetric limits into equal σ steps', () => {
    expect(zoneLines(100, 130, 70)).toEqual({ plus1: 110, plus2: 120, minus1: 90, minus2: 80 });
  });

  it('back-transforms zones of a log chart: exp(ln c ± kσ)', () => {
    const c = 800;
    const s = 0.08;
    const z = zoneLines(c, c * Math.exp(3 * s), c * Math.exp(-3 * s));
    expect(z.plus1).toBeCloseTo(c * Math.exp(s), 9);
    expect(z.plus2).toBeCloseTo(c * Math.exp(2 * s), 9);
    expect(z.minus1).toBeCloseTo(c * Math.exp(-s), 9);
    expect(z.minus2).toBeCloseTo(c * Math.exp(-2 * s), 9);
  });

  it('treats a negative LCL as a linear chart', () => {
    expect(isLogScaled(10, 40, -20)).toBe(false);
    expect(zoneLines(10, 40, -20).minus1).toBe(0);
  });
});

describe('deviationSigma', () => {
  it('measures linear distance in σ', () => {
    expect(deviationSigma(125, 100, 130, 70, 10)).toBeCloseTo(2.5, 12);
    expect(deviationSigma(85, 100, 130, 70, 10)).toBeCloseTo(-1.5, 12);
  });

  it('measures log distance in σ of ln(latency)', () => {
    const c = 800;
    const s = 0.08;
    expect(deviationSigma(c * Math.exp(2.2 * s), c, c * Math.exp(3 * s), c * Math.exp(-3 * s), null)).toBeCloseTo(2.2, 9);
  });

  it('falls back to the stored σ without limits and gives null when it cannot say', () => {
    expect(deviationSigma(120, 100, null, null, 8)).toBe(2.5);
    expect(deviationSigma(null, 100, 130, 70, 10)).toBeNull();
    expect(deviationSigma(120, null, 130, 70, 10)).toBeNull();
    expect(deviationSigma(120, 100, 100, 100, 0)).toBeNull();
  });
});
