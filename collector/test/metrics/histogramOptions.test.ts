// Config `metrics`: the per-series latency histograms can be left out or given other buckets,
// and the number of Prometheus series per LLMscope series (docs/scaling.md, "Prometheus
// cardinality") follows: each histogram is buckets + 3 series (+Inf, _sum, _count).
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createCollectorMetrics } from '../../src/metrics/collectorMetrics.js';
import { LLM_LATENCY_BUCKETS_SECONDS } from '../../src/metrics/latencyBuckets.js';
import type { RecordedSample, SeriesKey } from '../../src/pipeline/observer.js';
import { sampleRow } from '../helpers/rows.js';

const A: SeriesKey = { target: 'local', model: 'llama3.2:1b', probe: 'short' };
const B: SeriesKey = { target: 'local', model: 'qwen2.5:7b', probe: 'short' };

/** Both series probed once, ok, with limits in force: every per-series metric has its children. */
async function exposition(options?: Parameters<typeof createCollectorMetrics>[1]): Promise<string> {
  const registry = new Registry();
  const observer = createCollectorMetrics(registry, options);
  for (const key of [A, B]) {
    observer.seriesKnown(key);
    const sample: RecordedSample = {
      ...sampleRow({ status: 'ok', latencyMs: 700, ttftMs: 90 }),
      ...key,
      uid: randomUUID(),
      tokensPerSecond: 50,
      spcCenterMs: 700,
      spcUclMs: 900,
      spcLclMs: 550,
    };
    observer.sampleRecorded(key, sample);
  }
  return registry.metrics();
}

/** `llmscope_` sample lines that carry the series' model label. */
const seriesLines = (text: string, key: SeriesKey) =>
  text.split('\n').filter((line) => line.startsWith('llmscope_') && line.includes(`model="${key.model}"`));

describe('per-series histograms (config metrics)', () => {
  it('by default exports both histograms with the default buckets', async () => {
    const text = await exposition();
    const le = seriesLines(text, A)
      .filter((l) => l.startsWith('llmscope_probe_duration_seconds_bucket'))
      .map((l) => /le="([^"]+)"/.exec(l)![1]);
    expect(le).toEqual([...LLM_LATENCY_BUCKETS_SECONDS.map(String), '+Inf']);
    expect(seriesLines(text, A).some((l) => l.startsWith('llmscope_probe_ttft_seconds_count'))).toBe(true);
  });

  it('histograms: false leaves both out and nothing else; each histogram was buckets + 3 series per LLMscope series', async () => {
    const withHistograms = seriesLines(await exposition(), A);
    const without = seriesLines(await exposition({ histograms: false, buckets: [...LLM_LATENCY_BUCKETS_SECONDS] }), A);
    expect(without.filter((l) => /^llmscope_probe_(duration|ttft)_seconds/.test(l))).toEqual([]);
    expect(withHistograms.length - without.length).toBe(2 * (LLM_LATENCY_BUCKETS_SECONDS.length + 3));
    // The rest is unchanged: the status counter, the rule counters, the gauges.
    expect(without).toEqual(withHistograms.filter((l) => !/^llmscope_probe_(duration|ttft)_seconds/.test(l)));
  });

  it('custom buckets are the le bounds of both histograms', async () => {
    const text = await exposition({ histograms: true, buckets: [0.05, 0.25, 1, 5] });
    for (const name of ['llmscope_probe_duration_seconds_bucket', 'llmscope_probe_ttft_seconds_bucket']) {
      const le = seriesLines(text, B)
        .filter((l) => l.startsWith(name))
        .map((l) => /le="([^"]+)"/.exec(l)![1]);
      expect(le).toEqual(['0.05', '0.25', '1', '5', '+Inf']);
    }
    // 0.7 s falls in the 1 s bucket, 0.09 s TTFT in the 0.25 s one.
    expect(text).toContain(`llmscope_probe_duration_seconds_bucket{le="0.25",target="local",model="${B.model}",probe="short"} 0`);
    expect(text).toContain(`llmscope_probe_duration_seconds_bucket{le="1",target="local",model="${B.model}",probe="short"} 1`);
    expect(text).toContain(`llmscope_probe_ttft_seconds_bucket{le="0.25",target="local",model="${B.model}",probe="short"} 1`);
  });
});
