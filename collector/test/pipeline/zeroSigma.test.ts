// A series whose baseline latencies are all identical has no spread to draw limits from: the
// chart must not flag every later point as R1 critical (issue 11); it stays in Phase I instead.
import { describe, expect, it } from 'vitest';
import { SeriesTracker } from '../../src/pipeline/seriesTracker.js';
import { sampleRow } from '../helpers/rows.js';

const KEY = { target: 't', model: 'm', probe: 'p' };
const OPTIONS = { baselineSize: 20, minPoints: 5, transform: 'log' as const };

describe('a baseline without spread', () => {
  it('judges no rule, stores no baseline and keeps the series in Phase I', () => {
    const tracker = new SeriesTracker(KEY, OPTIONS);
    const observations = Array.from({ length: 30 }, () => tracker.observe(sampleRow({ ...KEY, latencyMs: 1500 })));
    expect(observations.filter((o) => o.zeroSigmaBaseline)).toHaveLength(1);
    const next = tracker.observe(sampleRow({ ...KEY, latencyMs: 1501 }));
    expect(next.opened).toEqual([]);
    expect(next.items.filter((i) => i.kind === 'baseline' || i.kind === 'violation-open')).toEqual([]);
    expect(tracker.currentLimits().spcUclMs).toBeNull();
  });

  it('freezes as usual once the latencies vary, and then judges', () => {
    const tracker = new SeriesTracker(KEY, OPTIONS);
    for (let i = 0; i < 25; i++) tracker.observe(sampleRow({ ...KEY, latencyMs: 1500 }));
    const items = Array.from({ length: 25 }, (_, i) => tracker.observe(sampleRow({ ...KEY, latencyMs: 1500 + (i % 5) * 10 }))).flatMap(
      (o) => o.items,
    );
    expect(items.some((i) => i.kind === 'baseline')).toBe(true);
    expect(tracker.observe(sampleRow({ ...KEY, latencyMs: 6000 })).opened).toContainEqual({ rule: 'R1', severity: 'critical' });
  });
});
