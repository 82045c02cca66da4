// The collector solves a series' detector design off its event loop before the probe that ends
// Phase I is pushed (collector/src/pipeline/designThread.ts): the monitor must say which design
// that probe needs, and a design put into the cache must be the one push() then uses.
import { describe, expect, it } from 'vitest';
import { cacheDesign, designDetector, isDesignCached } from './alertDesign.js';
import { AlertMonitor } from './alertMonitor.js';

describe('designing ahead of the probe that ends Phase I', () => {
  // A minimum effect no other test uses, so the cache starts without its design.
  const policy = { intervalSeconds: 15, minEffect: 0.237, baselineSize: 30 };
  const latencies = Array.from({ length: 30 }, (_, i) => 1700 * Math.exp(0.08 * Math.sin(i * 1.7)));

  it('names the design only for the probe that freezes the baseline, and push() uses the cached one', () => {
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
    // A design computed elsewhere (here: a marked copy) is what the monitor then uses.
    const elsewhere = { ...designDetector({ ...request!, arlCritical: request!.arlCritical + 1 }), hCritical: 7.777 };
    cacheDesign(request!, elsewhere);
    expect(isDesignCached(request!)).toBe(true);
    monitor.push(last);
    expect(monitor.model?.design).toBe(elsewhere);
    expect(monitor.designNeededBy({ status: 'ok', latencyMs: 1700 })).toBeNull();
  });
});
