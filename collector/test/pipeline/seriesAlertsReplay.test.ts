// After a crash the samples stored since the saved state are replayed into the alert detector
// too (pipeline.restoreAlerts): a replayed detector must be the one that never stopped, and an
// episode opened by a replayed sample must keep the uid of the row stored with it.
import { describe, expect, it } from 'vitest';
import { SeriesAlerts, type AlertInput } from '../../src/pipeline/seriesAlerts.js';
import type { RecordedSample, StoreItem } from '../../src/store/rows.js';
import { createRandom } from '../../src/simulator/random.js';
import { sampleRow } from '../helpers/rows.js';

const KEY = { target: 't', model: 'm', probe: 'p' };
const POLICY = { intervalSeconds: 15 };

/** What the samples table gives back: failures have no latency. */
const readBack = (s: RecordedSample): AlertInput => ({
  uid: s.uid,
  ts: s.ts,
  status: s.status,
  latencyMs: s.status === 'ok' ? s.latencyMs : null,
  coldStart: s.coldStart,
});

describe('SeriesAlerts.replay', () => {
  // Phase I (100 ok probes), a run of timeouts (an availability alert), then a ×2 step that
  // opens a CUSUM episode which stays open across the later cuts.
  const random = createRandom(3);
  const base = Date.parse('2026-11-01T00:00:00Z');
  const samples = Array.from({ length: 260 }, (_, i) =>
    sampleRow({
      ...KEY,
      ts: new Date(base + i * 15_000).toISOString(),
      status: i >= 150 && i < 156 ? 'timeout' : 'ok',
      latencyMs: random.logNormal(1700, 0.08) * (i >= 200 ? 2 : 1),
    }),
  );

  it.each([60, 130, 152, 195, 230])(
    'brings a state saved after %i samples forward to the state of the detector that saw every sample',
    (cut) => {
      const live = new SeriesAlerts(KEY, POLICY);
      const stored: StoreItem[] = [];
      let saved: unknown = null;
      samples.forEach((s, i) => {
        stored.push(...live.observe({ ...s }).items);
        if (i === cut - 1) saved = JSON.parse(JSON.stringify(live.snapshot()));
      });
      const restarted = new SeriesAlerts(KEY, POLICY);
      expect(restarted.restore(saved)).toBe(true);
      for (const s of samples.slice(cut)) restarted.replay(readBack(s));
      expect(restarted.snapshot()).toEqual(live.snapshot());
      expect(restarted.active).toEqual(live.active);
      // The open CUSUM episode is the row the crashed run stored, whichever run opened it.
      const openUid = restarted.snapshot().open['CUSUM/up']?.uid;
      expect(openUid).toBeDefined();
      expect(stored.some((item) => item.kind === 'alert-open' && item.row.uid === openUid)).toBe(true);
      // And both go on the same way.
      const next = sampleRow({ ...KEY, ts: new Date(base + 300 * 15_000).toISOString(), latencyMs: 3500 });
      expect(restarted.observe({ ...next }).items).toEqual(live.observe({ ...next }).items);
    },
  );

  it('without the replay, a state saved before the step would not know the episode the crashed run stored', () => {
    const live = new SeriesAlerts(KEY, POLICY);
    let saved: unknown = null;
    samples.forEach((s, i) => {
      live.observe({ ...s });
      if (i === 194) saved = JSON.parse(JSON.stringify(live.snapshot()));
    });
    const notReplayed = new SeriesAlerts(KEY, POLICY);
    notReplayed.restore(saved);
    expect(live.active.critical).toBe(1);
    expect(notReplayed.snapshot().open['CUSUM/up']).toBeUndefined();
  });
});
