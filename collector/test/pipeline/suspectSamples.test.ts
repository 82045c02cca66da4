// Promise (docs/reliability.md, "Measurement integrity"): an ok reply measured while the
// collector's own event loop lagged past telemetry.suspectLoopLag is stored as 'suspect', with
// its reason, and never reaches SPC: the baseline still needs exactly baselineSize ok samples.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentObserver } from '../../src/pipeline/observer.js';
import { LoopLagWatch, type LoopLag } from '../../src/pipeline/loopLagWatch.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { emptyResult, type Provider } from '../../src/providers/types.js';
import type { RecordedSample, StoreGroup } from '../../src/store/rows.js';
import { testConfig, waitFor } from '../helpers/collector.js';

const BASELINE = 20;

/** A model server that always answers in about 100 ms. */
const steadyServer: Provider = {
  kind: 'ollama',
  baseUrl: 'http://steady.test',
  async probe() {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { ...emptyResult('ok', null, 100 + Math.random()), evalCount: 10, evalDurationMs: 80, tokensPerSecond: 125 };
  },
  async listModels() {
    return ['m'];
  },
};

describe('samples measured while the collector lagged', () => {
  it('are stored as suspect with the lag named, and kept out of the baseline', async () => {
    const groups: StoreGroup[] = [];
    let probes = 0;
    // Every third probe window saw an 80 ms stall of our own loop.
    const lag: LoopLag = { beginWindow: () => ({ end: () => (++probes % 3 === 0 ? 80 : 2) }) };
    const config = testConfig({
      targets: [{ name: 't', url: 'http://steady.test', models: ['m'] }],
      interval: '5ms',
      spc: { baselineSize: BASELINE, minPoints: 10 },
      telemetry: { suspectLoopLag: '25ms', gpu: false },
    });
    const pipeline = new Pipeline({
      config,
      logger: pino({ level: 'silent' }),
      observer: silentObserver,
      store: { enqueue: (group) => groups.push(group) },
      host: { beginWindow: () => ({ end: () => ({ cpuPercent: null, memoryPercent: null, gpuPercent: null, gpuMemoryPercent: null }) }) },
      loopLag: lag,
      storedStates: [],
      createProvider: () => steadyServer,
    });
    await pipeline.start();
    await waitFor('a frozen baseline', () => groups.some((g) => g.some((i) => i.kind === 'baseline')));
    await pipeline.stop();

    const samples = groups.flatMap((g) => g.filter((i) => i.kind === 'sample').map((i) => i.row as RecordedSample));
    const suspect = samples.filter((s) => s.status === 'suspect');
    expect(suspect.length).toBeGreaterThanOrEqual(Math.floor(BASELINE / 2) - 1);
    for (const s of suspect) {
      expect(s.error).toMatch(/event loop lagged 80 ms during this probe \(bound 25 ms\)/);
      expect(s.latencyMs).toBeGreaterThan(100); // kept as measured, for the chart
    }
    // The limits freeze with the first point they judge, the (BASELINE + 1)-th ok sample
    // (the first point a frozen baseline judges): had suspect samples counted, it would have come a third sooner.
    const frozeAt = groups.findIndex((g) => g.some((i) => i.kind === 'baseline'));
    const okBefore = groups
      .slice(0, frozeAt + 1)
      .flatMap((g) => g.filter((i) => i.kind === 'sample' && (i.row as RecordedSample).status === 'ok'));
    expect(okBefore).toHaveLength(BASELINE + 1);
    // No suspect sample's group carries SPC output.
    for (const g of groups) {
      const sample = g.find((i) => i.kind === 'sample')?.row as RecordedSample | undefined;
      if (sample?.status === 'suspect') expect(g.every((i) => i.kind === 'sample' || i.kind === 'series-state')).toBe(true);
    }
  });
});

describe('LoopLagWatch', () => {
  it('reports a stall of the event loop to the probe windows open during it, not to later ones', async () => {
    const watch = new LoopLagWatch();
    watch.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const during = watch.beginWindow();
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // a synchronous stall, like a big export rendered on this thread
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(during.end()).toBeGreaterThanOrEqual(250);
      const after = watch.beginWindow();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(after.end()).toBeLessThan(250);
    } finally {
      watch.stop();
    }
  });
});
