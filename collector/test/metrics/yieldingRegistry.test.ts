// /metrics at many series must not hold the event loop for the whole scrape (it held it ~2 s
// at 1 000 series), nor for its largest metric: YieldingRegistry renders the same text as
// prom-client's Registry in pieces of at most 500 lines, and timers run between them.
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

/** The exposition less the process metrics, which change between calls. */
const strip = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => !/# TYPE llmscope_(process|nodejs)_/.test(block))
    .join('\n\n');

describe('YieldingRegistry', () => {
  it('renders exactly what prom-client renders (minus the process metrics, which change between calls)', async () => {
    const plain = new Registry();
    const yielding = new YieldingRegistry();
    fill(plain, 50);
    fill(yielding, 50);
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

  it('cuts a large metric into pieces of at most 500 lines, the loop turning between them', async () => {
    const registry = new YieldingRegistry();
    // 300 series: 5 100 lines in each latency histogram.
    fill(registry, 300);
    const pieces: string[] = [];
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    for await (const piece of registry.exposition()) pieces.push(piece);
    clearInterval(ticker);
    const histogramPieces = pieces.filter((p) => p.includes('llmscope_probe_duration_seconds_bucket'));
    expect(histogramPieces.length).toBeGreaterThanOrEqual(11);
    for (const piece of pieces) expect(piece.split('\n').filter((line) => line && !line.startsWith('#')).length).toBeLessThanOrEqual(500);
    expect(turns).toBeGreaterThan(histogramPieces.length);
    expect(strip(pieces.join(''))).toBe(strip(await registry.metrics()));
  });
});
