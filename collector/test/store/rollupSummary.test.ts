// A summary read from the rollups agrees with the same summary read from raw samples: counts
// and means exactly (to float rounding), p95 within 1 %, whatever minutes and hours the window cuts.
import { describe, expect, it } from 'vitest';
import type { RecordedSample, StoreItem } from '../../src/store/rows.js';
import { summariseRollups } from '../../src/store/rollupSummaryQueries.js';
import { summariseSamples } from '../../src/store/seriesQueries.js';
import { writeItems } from '../../src/store/writeQueries.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow } from '../helpers/rows.js';

const START = Date.parse('2026-04-01T00:00:00Z');

describe('summary from rollups', () => {
  const db = useMigratedDatabase();

  it('matches the raw summary over windows that cut hours and minutes', async () => {
    const client = await db.check.connect();
    try {
      let state = 5;
      const next = () => (state = (state * 16_807) % 2_147_483_647) / 2_147_483_647;
      const items: StoreItem[] = [];
      // Two series over 30 hours, one probe every 20 s each.
      for (let i = 0; i < 5400; i++) {
        for (const target of ['http://x', 'http://y']) {
          const status: RecordedSample['status'] = i % 53 === 0 ? 'timeout' : i % 71 === 0 ? 'error' : 'ok';
          const latencyMs = (target === 'http://x' ? 900 : 1500) * Math.exp(0.25 * (next() + next() + next() - 1.5));
          items.push({
            kind: 'sample',
            row: sampleRow({
              ts: new Date(START + i * 20_000).toISOString(),
              target,
              status,
              latencyMs,
              tokensPerSecond: 20 + next() * 10,
            }),
          });
        }
      }
      for (let i = 0; i < items.length; i += 1000) await writeItems(client, items.slice(i, i + 1000));
    } finally {
      client.release();
    }

    const windows: Array<[string, number, number, { target?: string }]> = [
      ['a day cutting hours and minutes at both ends', START + 37 * 60_000 + 12_345, START + 25 * 3_600_000 + 41 * 60_000 + 7_000, {}],
      ['inside one hour, cutting minutes', START + 3 * 3_600_000 + 5 * 60_000 + 30_000, START + 3 * 3_600_000 + 50 * 60_000 + 10_000, {}],
      ['inside one minute', START + 60_000 + 5_000, START + 60_000 + 45_000, {}],
      ['on whole hours, one series', START + 2 * 3_600_000, START + 20 * 3_600_000, { target: 'http://y' }],
    ];
    for (const [name, from, to, labels] of windows) {
      const raw = await summariseSamples(db.check, new Date(from), new Date(to), labels);
      const rolled = await summariseRollups(db.check, new Date(from), new Date(to), labels);
      expect({ name, ok: rolled.ok, error: rolled.error, timeout: rolled.timeout }).toEqual({
        name,
        ok: raw.ok,
        error: raw.error,
        timeout: raw.timeout,
      });
      expect(raw.ok).toBeGreaterThan(0);
      expect(rolled.mean_latency_ms).toBeCloseTo(raw.mean_latency_ms!, 6);
      expect(rolled.mean_tokens_per_second).toBeCloseTo(raw.mean_tokens_per_second!, 6);
      // percentile_cont interpolates between neighbours; the histogram names a bucket. With a few
      // points the neighbours are far apart, so the 1 % promise is checked where there are many.
      if (raw.ok >= 500) expect(Math.abs(rolled.p95_latency_ms! / raw.p95_latency_ms! - 1), name).toBeLessThanOrEqual(0.01);
    }
  }, 120_000);
});
