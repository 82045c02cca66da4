import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { limitsInMs, SeriesTracker } from '../../src/pipeline/seriesTracker.js';
import type { RecordedSample } from '../../src/store/rows.js';
import { createRandom } from '../../src/simulator/random.js';
import { sampleRow } from '../helpers/rows.js';

const key = { target: 't', model: 'm', probe: 'p' };
const options = {
  baselineSize: 30,
  minPoints: 20,
  transform: 'log' as const,
  sigma: 'mr' as const,
  clean: true,
  mode: 'frozen' as const,
  window: 30,
  rules: { preset: 'nelson' as const },
};

function feed(tracker: SeriesTracker, latencies: number[]) {
  const base = Date.parse('2026-01-01T00:00:00Z');
  return latencies.map((latencyMs, i) => {
    const sample: RecordedSample = sampleRow({
      uid: randomUUID(),
      latencyMs,
      ts: new Date(base + i * 1000).toISOString(),
      spcCenterMs: null,
      spcSigmaMs: null,
      spcUclMs: null,
      spcLclMs: null,
    });
    return { sample, ...tracker.observe(sample) };
  });
}

const random = createRandom(3);
const normal = (n: number) => Array.from({ length: n }, () => random.logNormal(100, 0.05));

describe('SeriesTracker', () => {
  it('opens an episode when a rule first fires, extends it while it fires, opens a new one after it stopped', () => {
    const tracker = new SeriesTracker(key, options);
    const values = [...normal(30), 400, 420, ...normal(3), 410];
    const steps = feed(tracker, values);
    // Before minPoints no limits; from then on the limits in force are written on the sample.
    expect(steps[5]!.sample.spcCenterMs).toBeNull();
    expect(steps[25]!.sample.spcCenterMs).toBeGreaterThan(90);
    const [first, second] = [steps[30]!, steps[31]!];
    expect(first.opened).toEqual([{ rule: 'R1', severity: 'critical' }]);
    const open = first.items.find((i) => i.kind === 'violation-open');
    expect(open?.row).toMatchObject({ rule: 'R1', sampleUid: first.sample.uid, latencyMs: 400, severity: 'critical' });
    expect(second.opened.map((o) => o.rule)).not.toContain('R1');
    expect(second.items).toContainEqual({
      kind: 'violation-extend',
      // The series and the opening ts name the violation row without a look-up in samples.
      row: { sampleUid: first.sample.uid, series: key, openedAt: first.sample.ts, rule: 'R1', points: 2, lastSeenAt: second.sample.ts },
    });
    const again = steps[35]!;
    expect(again.opened.map((o) => o.rule)).toContain('R1');
    expect(again.items.find((i) => i.kind === 'violation-open' && i.row.rule === 'R1')?.row).toMatchObject({ sampleUid: again.sample.uid });
  });

  it('fills the violation record columns: mean/std_dev/ucl/lcl in ms, deviation in σ of the charted (log) scale', () => {
    const tracker = new SeriesTracker(key, options);
    const steps = feed(tracker, [...normal(30), 400]);
    const hit = steps[30]!;
    const row = hit.items.find((i) => i.kind === 'violation-open')!.row as import('../../src/store/rows.js').ViolationOpen;
    const state = tracker.snapshot();
    const limits = state.monitor.frozen!;
    expect(row.meanMs).toBeCloseTo(Math.exp(limits.center), 9);
    expect(row.stdDevMs).toBeCloseTo(Math.exp(limits.center) * Math.sinh(limits.sigma), 9);
    expect(row.uclMs).toBeCloseTo(Math.exp(limits.ucl), 9);
    expect(row.lclMs).toBeCloseTo(Math.exp(limits.lcl), 9);
    expect(row.deviationSigma).toBeCloseTo((Math.log(400) - limits.center) / limits.sigma, 9);
    expect(limitsInMs(null).spcCenterMs).toBeNull();
    // The baseline is recorded once, when the limits freeze.
    const baselines = steps.flatMap((s) => s.items.filter((i) => i.kind === 'baseline'));
    expect(baselines).toHaveLength(1);
    expect(baselines[0]!.row).toMatchObject({ transform: 'log', sigmaMethod: 'mr', center: limits.center, sigma: limits.sigma });
  });

  it('restores from a snapshot (JSON round trip) and carries on exactly as the original', () => {
    const values = [...normal(40), 300, 310, ...normal(10)];
    const original = new SeriesTracker(key, options);
    feed(original, values.slice(0, 41));
    const copy = new SeriesTracker(key, options);
    expect(copy.restore(JSON.parse(JSON.stringify(original.snapshot())))).toBe(true);
    const a = feed(original, values.slice(41));
    const b = feed(copy, values.slice(41));
    expect(b.map((s) => s.items.map((i) => i.kind))).toEqual(a.map((s) => s.items.map((i) => i.kind)));
    // The episode opened before the restart is extended after it, not opened again.
    expect(b[0]!.opened.map((o) => o.rule)).not.toContain('R1');
    expect(b[0]!.items).toContainEqual(
      expect.objectContaining({ kind: 'violation-extend', row: expect.objectContaining({ rule: 'R1', points: 2 }) }),
    );
  });

  it('refuses a stored state made with other settings, and reset() starts Phase I again', () => {
    const tracker = new SeriesTracker(key, options);
    feed(tracker, normal(35));
    const other = new SeriesTracker(key, { ...options, transform: 'none' });
    expect(other.restore(tracker.snapshot())).toBe(false);
    tracker.reset();
    expect(tracker.currentLimits().spcCenterMs).toBeNull();
    expect(tracker.snapshot().monitor.frozen).toBeNull();
    const after = feed(tracker, normal(31));
    expect(after.flatMap((s) => s.items).filter((i) => i.kind === 'baseline')).toHaveLength(1);
  });
});
