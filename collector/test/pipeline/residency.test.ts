// Model residency is a provider capability (docs/architecture.md, "Seams"): the pipeline polls
// it where the provider has it (Ollama's /api/ps) and records loads and evictions as model
// events; a provider without it (OpenAI-compatible) records none and is never asked.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { silentObserver } from '../../src/pipeline/observer.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { ModelEventRow, StoreGroup } from '../../src/store/rows.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { testConfig, waitFor } from '../helpers/collector.js';

const idleHost = {
  beginWindow: () => ({ end: () => ({ cpuPercent: null, memoryPercent: null, gpuPercent: null, gpuMemoryPercent: null }) }),
};

describe('model residency', () => {
  let sim: SimulatedOllama | undefined;
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    await sim?.stop();
  });

  async function run(provider: 'ollama' | 'openai') {
    sim = new SimulatedOllama({ models: [{ name: 'm', medianMs: 5 }] });
    const url = await sim.start();
    const groups: StoreGroup[] = [];
    const config = testConfig({
      targets: [{ name: 't', url: provider === 'openai' ? `${url}/v1` : url, provider, models: ['m'] }],
      // Probes less often than polls: a probe reloads an unloaded model, so a poll must fall
      // between the unload and the next probe. On one shared 20 ms phase the poll always came
      // right after the probe's request (with keep-alive pools that request reaches the server first).
      interval: '50ms',
      telemetry: { psInterval: '20ms', gpu: false },
    });
    pipeline = new Pipeline({
      config,
      logger: pino({ level: 'silent' }),
      observer: silentObserver,
      host: idleHost,
      storedStates: [],
      store: { enqueue: (group) => groups.push(group) },
    });
    await pipeline.start();
    const events = () =>
      groups
        .flat()
        .filter((i) => i.kind === 'model-event')
        .map((i) => i.row as ModelEventRow);
    return { sim, groups, events };
  }

  it('records a load and an eviction of an Ollama model as model events', async () => {
    const { sim, groups, events } = await run('ollama');
    // Whether the very first poll sees the model already loaded depends on which request of
    // the first instant reaches the server first; an unload and the next probe's reload do not.
    await waitFor('some probes', () => groups.filter((g) => g.some((i) => i.kind === 'sample')).length >= 3);
    // An unload just before a probe is undone before any poll sees it: unload again until one does.
    const evicted = await waitFor('the eviction', () => events().find((e) => e.event === 'evict') ?? sim.unload('m'));
    expect(evicted).toMatchObject({ target: 't', model: 'm', detail: 'unloaded' });
    const reloaded = await waitFor('the reload by the next probe', () => events().find((e) => e.event === 'load'));
    expect(reloaded).toMatchObject({ target: 't', model: 'm' });
  });

  it('records no model events for an OpenAI-compatible server, which has no residency endpoint', async () => {
    const { sim, groups, events } = await run('openai');
    const probes = () => groups.filter((g) => g.some((i) => i.kind === 'sample')).length;
    await waitFor('some probes', () => probes() >= 5);
    // The same server's /api/ps would now report an eviction, had anyone polled it (every 20 ms).
    sim.unload('m');
    const after = probes();
    await waitFor('probes long after the unload', () => probes() >= after + 15);
    expect(events()).toEqual([]);
  });
});
