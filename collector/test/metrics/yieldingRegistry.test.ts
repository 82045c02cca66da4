// /metrics at many series must not hold the event loop for the whole scrape (it held it ~2 s
// at 1 000 series): YieldingRegistry renders the same text as prom-client's Registry, a metric
// at a time, and timers run between metrics.
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createCollectorMetrics } from '../../src/metrics/collectorMetrics.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { sampleRow } from '../helpers/rows.js';

function fill(registry: Registry, series: number): void {
  const observer = createCollectorMetrics(registry);
  for (let i = 0; i < series; i++) {
    const key = { target: 't', model: `model-${i}`, probe: 'p' };
    observer.seriesKnown(key);
    observer.sampleRecorded(key, { ...sampleRow({ status: 'ok', latencyMs: 100 + i, ttftMs: 20 }), ...key, uid: randomUUID() });
    if (i % 7 === 0) observer.violationOpened(key, 'R1', 'critical');
  }
}

describe('YieldingRegistry', () => {
  it('renders exactly what prom-client renders (minus the process metrics, which change between calls)', async () => {
    const plain = new Registry();
    const yielding = new YieldingRegistry();
    fill(plain, 50);
    fill(yielding, 50);
    const strip = (text: string) =>
      text
        .split('\n\n')
        .filter((block) => !/# TYPE llmscope_(process|nodejs)_/.test(block))
        .join('\n\n');
    expect(strip(await yielding.metrics())).toBe(strip(await plain.metrics()));
    expect(yielding.contentType).toBe(plain.contentType);
  });

  it('lets timers run during a scrape: the loop is given back between metrics (prom-client never gives it back)', async () => {
    const timerTurnsDuring = async (registry: Registry) => {
      fill(registry, 300);
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      await registry.metrics();
      clearInterval(ticker);
      return turns;
    };
    expect(await timerTurnsDuring(new Registry())).toBe(0);
    expect(await timerTurnsDuring(new YieldingRegistry())).toBeGreaterThan(5);
  });
});
