// Promise (docs/scaling.md, "Probe cadence at scale"): the probe that ends a series' alert
// Phase I waits for its detector design (solved in slices of the event loop, designSlices.ts), but the
// series' next probes do not: they keep their slots, and their samples are recorded after it,
// in probe order.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentObserver } from '../../src/pipeline/observer.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { emptyResult, type Provider } from '../../src/providers/types.js';
import type { RecordedSample, StoreGroup } from '../../src/store/rows.js';
import { testConfig, waitFor } from '../helpers/collector.js';

const INTERVAL_MS = 20;
const ALERT_BASELINE = 20;

describe('a series waiting for its alert design', () => {
  it('keeps probing on its cadence, and records its samples in order once the design is solved', async () => {
    const probeStarts: number[] = [];
    const server: Provider = {
      kind: 'ollama',
      baseUrl: 'http://steady.test',
      async probe() {
        probeStarts.push(performance.now());
        // Latencies that vary (σ of ln about 0.1), so the design is a real one, not the floored σ's.
        return {
          ...emptyResult('ok', null, 100 * Math.exp(0.1 * (Math.random() + Math.random() + Math.random() - 1.5) * 2)),
          evalCount: 10,
        };
      },
      async listModels() {
        return ['m'];
      },
    };
    const groups: StoreGroup[] = [];
    const logged: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => logged.push(line) });
    const pipeline = new Pipeline({
      config: testConfig({
        targets: [{ name: 't', url: 'http://steady.test', models: ['m'] }],
        interval: `${INTERVAL_MS}ms`,
        alerts: { baselineSize: ALERT_BASELINE },
        telemetry: { gpu: false },
      }),
      logger,
      observer: silentObserver,
      store: { enqueue: (group) => groups.push(group) },
      host: { beginWindow: () => ({ end: () => ({ cpuPercent: null, memoryPercent: null, gpuPercent: null, gpuMemoryPercent: null }) }) },
      storedStates: [],
      createProvider: () => server,
    });
    await pipeline.start();
    await waitFor('the alert detector ready', () => logged.some((line) => line.includes('alert detector ready')));
    const solvedAt = probeStarts.length;
    await waitFor('ten more probes', () => probeStarts.length >= solvedAt + 10);
    await pipeline.stop();

    expect(logged.some((line) => line.includes('alert thresholds solved in'))).toBe(true);
    // While the design was solved (~0.2 s of CPU, in slices) the series probed on.
    const gaps = probeStarts.slice(1).map((t, i) => t - probeStarts[i]!);
    expect(Math.max(...gaps)).toBeLessThan(8 * INTERVAL_MS);
    // Every probe was recorded, in the order it was taken.
    const samples = groups.flatMap((g) => g.filter((i) => i.kind === 'sample').map((i) => i.row as RecordedSample));
    expect(samples).toHaveLength(probeStarts.length);
    const times = samples.map((s) => Date.parse(s.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
