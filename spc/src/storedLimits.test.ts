import { describe, expect, it } from 'vitest';
import { knownLimits, toDisplayLimits } from './limits.js';
import { deviationFromStoredLimits, deviationInSigma, storedScale, zonesFromStoredLimits } from './storedLimits.js';

describe('limits stored in ms', () => {
  // ln-scale limits centre ln(1000), σ 0.1, back-transformed the way the collector stores them.
  const logLimits = knownLimits(Math.log(1000), 0.1, 'log');
  const stored = toDisplayLimits(logLimits);

  it('reads a log chart off asymmetric limits and rebuilds its zones exactly', () => {
    expect(storedScale(stored.center, stored.ucl, stored.lcl)).toBe('log');
    const zones = zonesFromStoredLimits(stored.center, stored.ucl, stored.lcl)!;
    expect(zones.scale).toBe('log');
    expect(zones.plus1).toBeCloseTo(stored.plus1, 9);
    expect(zones.minus2).toBeCloseTo(stored.minus2, 9);
  });

  it('reads a linear chart off symmetric limits', () => {
    const zones = zonesFromStoredLimits(100, 130, 70)!;
    expect(zones).toMatchObject({ scale: 'linear', plus1: 110, minus1: 90, plus2: 120, minus2: 80 });
  });

  it('treats symmetric limits with a negative LCL as linear', () => {
    expect(storedScale(10, 40, -20)).toBe('linear');
  });

  it('measures deviation in ln(ms) on a log chart and in ms on a linear one', () => {
    expect(deviationFromStoredLimits(1000 * Math.exp(0.25), stored.center, stored.ucl, stored.lcl)).toBeCloseTo(2.5, 9);
    expect(deviationFromStoredLimits(85, 100, 130, 70)).toBeCloseTo(-1.5, 12);
  });

  it('gives null without limits, for σ = 0, and for a non-positive value on a log chart', () => {
    expect(zonesFromStoredLimits(null, 1, 1)).toBeNull();
    expect(deviationFromStoredLimits(5, 100, null, 70)).toBeNull();
    expect(deviationFromStoredLimits(5, 100, 100, 100)).toBeNull();
    expect(deviationFromStoredLimits(0, stored.center, stored.ucl, stored.lcl)).toBeNull();
  });

  it('agrees with the deviation measured on the charted-scale limits', () => {
    for (const ms of [700, 950, 1000, 1234, 2000]) {
      expect(deviationFromStoredLimits(ms, stored.center, stored.ucl, stored.lcl)).toBeCloseTo(deviationInSigma(ms, logLimits), 6);
    }
  });
});
