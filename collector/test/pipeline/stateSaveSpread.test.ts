// Series started together must not all save their SPC state in the same second (at 1 000
// series × 1/s that was 1 000 snapshots and upserts at once every 50 s, docs/scaling.md):
// each series' saves are shifted by its index, at the same rate of one per STATE_EVERY_SAMPLES.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentObserver } from '../../src/pipeline/observer.js';
import { Pipeline, STATE_EVERY_SAMPLES } from '../../src/pipeline/pipeline.js';
import { emptyResult, type Provider } from '../../src/providers/types.js';
import type { StoreGroup } from '../../src/store/rows.js';
import { testConfig, waitFor } from '../helpers/collector.js';

const SERIES = 6;
const models = Array.from({ length: SERIES }, (_, i) => `m${i}`);

const steadyServer: Provider = {
  kind: 'ollama',
  baseUrl: 'http://steady.test',
  async probe() {
    return { ...emptyResult('ok', null, 100 + Math.random()), evalCount: 10, evalDurationMs: 80, tokensPerSecond: 125 };
  },
  async listModels() {
    return models;
  },
};

describe('SPC state saves of series started together', () => {
  it('come at the first sample, then after 50 − the series index, then every 50: spread, at the same rate', async () => {
    const groups: StoreGroup[] = [];
    const pipeline = new Pipeline({
      config: testConfig({
        targets: [{ name: 't', url: 'http://steady.test', models }],
        interval: '5ms',
        // No baseline freezes and no episode opens in this run: only the periodic saves.
        spc: { baselineSize: 1000, minPoints: 999 },
        telemetry: { gpu: false },
      }),
      logger: pino({ level: 'silent' }),
      observer: silentObserver,
      store: { enqueue: (group) => groups.push(group) },
      host: { beginWindow: () => ({ end: () => ({ cpuPercent: null, memoryPercent: null, gpuPercent: null, gpuMemoryPercent: null }) }) },
      storedStates: [],
      createProvider: () => steadyServer,
    });
    await pipeline.start();
    const samplesOf = (model: string) => groups.filter((g) => g.some((i) => i.kind === 'sample' && i.row.model === model));
    await waitFor(
      '2 × 50 + 1 samples of every series',
      () => models.every((m) => samplesOf(m).length > 2 * STATE_EVERY_SAMPLES + 1),
      60_000,
    );
    await pipeline.stop();

    models.forEach((model, index) => {
      // The n-th sample of the series (1-based) whose group carries a state save.
      const savedAt = samplesOf(model)
        .map((g, n) => (g.some((i) => i.kind === 'series-state') ? n + 1 : null))
        .filter((n): n is number => n !== null);
      const first = 1;
      const second = first + STATE_EVERY_SAMPLES - index;
      expect(savedAt.slice(0, 3)).toEqual([first, second, second + STATE_EVERY_SAMPLES]);
    });
  });
});
