// The alert thresholds of a series are solved in slices of the event loop before the probe that
// ends its Phase I reaches the synchronous alert monitor (pipeline.solveAlertDesign): the loop
// never runs the ~0.2 s bootstrap in one go. Checked by what ran between the slices.
import { Writable } from 'node:stream';
import { designDetector, isDesignCached } from '@llmscope/spc';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDesignSlicer } from '../../src/pipeline/designSlices.js';
import { silentObserver } from '../../src/pipeline/observer.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { emptyResult, type Provider } from '../../src/providers/types.js';
import { SeriesAlerts } from '../../src/pipeline/seriesAlerts.js';
import { createRandom } from '../../src/simulator/random.js';
import { testConfig, waitFor } from '../helpers/collector.js';
import { sampleRow } from '../helpers/rows.js';

/** Counts the turns of the event loop until stopped: what other work got to run meanwhile. */
function countTurns(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const turn = () => {
    if (!running) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

describe('alert design slices', () => {
  it('solves the design the Phase I-ending probe needs with the event loop turning between slices; the monitor then uses it', async () => {
    // A minimum effect no other test uses: the cache starts without its design.
    const alerts = new SeriesAlerts({ target: 't', model: 'm', probe: 'p' }, { intervalSeconds: 15, minEffect: 0.313, baselineSize: 40 });
    const random = createRandom(8);
    const samples = Array.from({ length: 40 }, (_, i) =>
      sampleRow({ ts: new Date(Date.UTC(2026, 10, 1) + i * 15_000).toISOString(), latencyMs: random.logNormal(1700, 0.08) }),
    );
    for (const s of samples.slice(0, 39)) {
      expect(alerts.designNeededBy(s)).toBeNull();
      alerts.observe(s);
    }
    const request = alerts.designNeededBy(samples[39]!);
    expect(request).not.toBeNull();
    expect(isDesignCached(request!)).toBe(false);

    const slicer = createDesignSlicer({ sliceMs: 2 });
    const turns = countTurns();
    const solved = await slicer.prime(request!);
    const otherTurns = turns.stop();
    expect(solved).not.toBeNull();
    // ~0.2 s of work in 2 ms slices; every slice but the last handed the loop on.
    expect(solved!.slices).toBeGreaterThan(5);
    expect(otherTurns).toBeGreaterThanOrEqual(solved!.slices - 1);
    expect(isDesignCached(request!)).toBe(true);
    // Solved once: asking again is answered from the cache.
    expect(await slicer.prime(request!)).toBeNull();

    const ready = alerts.observe(samples[39]!).modelReady;
    expect(ready?.design).toBe(designDetector(request!));
    expect(ready?.design.hCritical).toBeGreaterThan(ready!.design.hWarning);
  });

  it('solves a design once when many series ask for it at the same time (a collector starting 1 000 series)', async () => {
    // A minimum effect no other test uses, so the design is not cached yet.
    const request = { effectSigmas: Math.log(1.277) / 0.08, baselinePoints: 30, arlCritical: 40_000, arlWarning: 5000 };
    expect(isDesignCached(request)).toBe(false);
    const slicer = createDesignSlicer();
    const answers = await Promise.all(Array.from({ length: 20 }, () => slicer.prime({ ...request })));
    // The first asker's design was solved; the 19 queued behind it found it cached.
    expect(answers.filter((a) => a !== null)).toHaveLength(1);
    expect(isDesignCached(request)).toBe(true);
  });

  it('stops a design in progress when closed, and caches nothing half-solved', async () => {
    const request = { effectSigmas: Math.log(1.291) / 0.08, baselinePoints: 30, arlCritical: 40_000, arlWarning: 5000 };
    const slicer = createDesignSlicer({ sliceMs: 1 });
    const solving = slicer.prime(request);
    await new Promise((resolve) => setImmediate(resolve));
    slicer.close();
    await expect(solving).rejects.toThrow(/stopping: the alert design was not finished/);
    expect(isDesignCached(request)).toBe(false);
    await expect(slicer.prime({ ...request, arlWarning: 5001 })).rejects.toThrow(/stopping/);
  });

  it('reports a request it cannot solve instead of hanging', async () => {
    await expect(createDesignSlicer().prime({ effectSigmas: 1, baselinePoints: 1, arlCritical: 1000, arlWarning: 100 })).rejects.toThrow(
      /baseline must hold at least 2 points/,
    );
  });
});

describe('the pipeline', () => {
  it("solves a series' alert thresholds in slices when its Phase I ends, before the probe is judged", async () => {
    const lines: Array<{ msg: string; slices?: number }> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const random = createRandom(4);
    const server: Provider = {
      kind: 'ollama',
      baseUrl: 'http://steady.test',
      async probe() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { ...emptyResult('ok', null, random.logNormal(100, 0.08)), evalCount: 10, evalDurationMs: 80, tokensPerSecond: 125 };
      },
      async listModels() {
        return ['m'];
      },
    };
    const pipeline = new Pipeline({
      // Another minimum effect no other test uses: this design is not cached yet.
      config: testConfig({
        targets: [{ name: 't', url: 'http://steady.test', models: ['m'] }],
        interval: '5ms',
        alerts: { baselineSize: 20, minEffect: 0.271 },
        telemetry: { gpu: false },
      }),
      logger: pino({ level: 'debug' }, sink),
      observer: silentObserver,
      store: { enqueue: () => undefined },
      host: { beginWindow: () => ({ end: () => ({ cpuPercent: null, memoryPercent: null, gpuPercent: null, gpuMemoryPercent: null }) }) },
      storedStates: [],
      createProvider: () => server,
    });
    await pipeline.start();
    try {
      await waitFor('the alert detector ready', () => lines.some((l) => l.msg.startsWith('alert detector ready')));
    } finally {
      await pipeline.stop();
    }
    const solved = lines.filter((l) => l.msg.startsWith('alert thresholds solved in'));
    expect(solved).toHaveLength(1);
    expect(solved[0]!.slices).toBeGreaterThan(1);
    // Solved before the probe that ended Phase I was judged: the log says so first.
    expect(lines.indexOf(solved[0]!)).toBeLessThan(lines.findIndex((l) => l.msg.startsWith('alert detector ready')));
  });
});
