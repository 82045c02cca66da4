// The series state is stored every few samples, not with each one: after a crash the
// samples stored since are replayed. A replayed tracker must be the one that never stopped.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeriesTracker } from '../../src/pipeline/seriesTracker.js';
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

describe('SeriesTracker.replay', () => {
  it('brings a saved state forward to exactly the state of the tracker that saw every sample', () => {
    const random = createRandom(11);
    // Baseline, then a shift that keeps R2 firing across the cut, then more.
    const latencies = [
      ...Array.from({ length: 35 }, () => random.logNormal(100, 0.05)),
      ...Array.from({ length: 40 }, () => random.logNormal(200, 0.05)),
    ];
    const base = Date.parse('2026-01-01T00:00:00Z');
    const samples: RecordedSample[] = latencies.map((latencyMs, i) =>
      sampleRow({
        uid: randomUUID(),
        latencyMs,
        ts: new Date(base + i * 1000).toISOString(),
        spcCenterMs: null,
        spcSigmaMs: null,
        spcUclMs: null,
        spcLclMs: null,
      }),
    );
    for (const cut of [10, 25, 50]) {
      const live = new SeriesTracker(key, options);
      let saved: unknown = null;
      samples.forEach((sample, i) => {
        live.observe({ ...sample });
        if (i === cut - 1) saved = JSON.parse(JSON.stringify(live.snapshot()));
      });
      const restarted = new SeriesTracker(key, options);
      expect(restarted.restore(saved)).toBe(true);
      for (const s of samples.slice(cut)) restarted.replay({ uid: s.uid, ts: s.ts, latencyMs: s.latencyMs });
      expect(restarted.snapshot(), `cut after ${cut}`).toEqual(live.snapshot());
      // And both go on the same way: the next sample extends the same open episodes.
      const next = sampleRow({
        uid: randomUUID(),
        latencyMs: 210,
        ts: new Date(base + 100_000).toISOString(),
        spcCenterMs: null,
        spcSigmaMs: null,
        spcUclMs: null,
        spcLclMs: null,
      });
      expect(restarted.observe({ ...next }).items).toEqual(live.observe({ ...next }).items);
    }
  });

  it('a replay that freezes the baseline does not record it again (it was stored with its sample)', () => {
    const random = createRandom(5);
    const base = Date.parse('2026-01-01T00:00:00Z');
    const saved = new SeriesTracker(key, options).snapshot();
    const restarted = new SeriesTracker(key, options);
    restarted.restore(JSON.parse(JSON.stringify(saved)));
    for (let i = 0; i < 40; i++)
      restarted.replay({ uid: randomUUID(), ts: new Date(base + i * 1000).toISOString(), latencyMs: random.logNormal(100, 0.05) });
    const next = sampleRow({
      uid: randomUUID(),
      latencyMs: 100,
      ts: new Date(base + 41_000).toISOString(),
      spcCenterMs: null,
      spcSigmaMs: null,
      spcUclMs: null,
      spcLclMs: null,
    });
    const { items } = restarted.observe(next);
    expect(items.filter((i) => i.kind === 'baseline')).toEqual([]);
    expect(next.spcCenterMs).toBeGreaterThan(90);
  });
});
