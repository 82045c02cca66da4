// The collector solves a series' detector design in slices on its event loop before the probe
// that ends Phase I is pushed (collector/src/pipeline/designSlices.ts): the monitor must say which
// design that probe needs, and the design the steps solved must be the one push() then uses.
import { describe, expect, it } from 'vitest';
import { designDetector, designDetectorInSteps, isDesignCached, BOOTSTRAP_DRAWS } from './alertDesign.js';
import { AlertMonitor } from './alertMonitor.js';

describe('designing ahead of the probe that ends Phase I', () => {
  // A minimum effect no other test uses, so the cache starts without its design.
  const policy = { intervalSeconds: 15, minEffect: 0.237, baselineSize: 30 };
  const latencies = Array.from({ length: 30 }, (_, i) => 1700 * Math.exp(0.08 * Math.sin(i * 1.7)));

  it('names the design only for the probe that freezes the baseline, and push() uses the one solved in steps', () => {
    const monitor = new AlertMonitor(policy);
    for (const latencyMs of latencies.slice(0, 29)) {
      expect(monitor.designNeededBy({ status: 'ok', latencyMs })).toBeNull();
      monitor.push({ status: 'ok', latencyMs });
    }
    expect(monitor.designNeededBy({ status: 'timeout' })).toBeNull();
    expect(monitor.designNeededBy({ status: 'ok', latencyMs: 1800, coldStart: true })).toBeNull();
    const last = { status: 'ok' as const, latencyMs: latencies[29]! };
    const request = monitor.designNeededBy(last);
    expect(request).not.toBeNull();
    expect(isDesignCached(request!)).toBe(false);

    const steps = designDetectorInSteps(request!);
    let taken = 0;
    let step = steps.next();
    while (!step.done) {
      taken++;
      // Not cached until the last step: a half-solved design is never used.
      expect(isDesignCached(request!)).toBe(false);
      step = steps.next();
    }
    expect(taken).toBe(BOOTSTRAP_DRAWS);
    expect(isDesignCached(request!)).toBe(true);
    monitor.push(last);
    expect(monitor.model?.design).toBe(step.value);
    expect(monitor.designNeededBy({ status: 'ok', latencyMs: 1700 })).toBeNull();
  });

  it('returns the design a concurrent solve finished first, so every series of one key shares one object', () => {
    const request = { effectSigmas: 3.1, baselinePoints: 41, arlCritical: 40_000, arlWarning: 5000 };
    const a = designDetectorInSteps(request);
    const b = designDetectorInSteps(request);
    a.next();
    b.next();
    let stepB = b.next();
    while (!stepB.done) stepB = b.next();
    let stepA = a.next();
    while (!stepA.done) stepA = a.next();
    expect(stepA.value).toBe(stepB.value);
    expect(designDetector(request)).toBe(stepB.value);
  });
});
