// The alert thresholds of a series are solved in a worker thread before the probe that ends its
// Phase I reaches the synchronous alert monitor (pipeline.solveAlertDesign): the event loop
// never runs the ~0.2 s bootstrap. Checked by where the work runs, not by timing it.
import { Writable } from 'node:stream';
import { threadId } from 'node:worker_threads';
import { designDetector, isDesignCached } from '@llmscope/spc';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createDesignThread } from '../../src/pipeline/designThread.js';
import { silentObserver } from '../../src/pipeline/observer.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { emptyResult, type Provider } from '../../src/providers/types.js';
import { SeriesAlerts } from '../../src/pipeline/seriesAlerts.js';
import { createRandom } from '../../src/simulator/random.js';
import { expectBuiltCli } from '../helpers/cliProcess.js';
import { testConfig, waitFor } from '../helpers/collector.js';
import { sampleRow } from '../helpers/rows.js';

const thread = createDesignThread();
afterAll(() => thread.close());

describe('alert design thread', () => {
  it('solves the design the Phase I-ending probe needs in another thread; the monitor then uses it without solving', async () => {
    expectBuiltCli();
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

    const solvedIn = await thread.prime(request!);
    expect(solvedIn).not.toBeNull();
    expect(solvedIn).not.toBe(threadId);
    expect(isDesignCached(request!)).toBe(true);
    // Solved once: asking again is answered from this thread's cache.
    expect(await thread.prime(request!)).toBeNull();

    const ready = alerts.observe(samples[39]!).modelReady;
    expect(ready?.design).toBe(designDetector(request!));
    expect(ready?.design.hCritical).toBeGreaterThan(ready!.design.hWarning);
  });

  it('solves a design once when many series ask for it at the same time (a collector starting 1 000 series)', async () => {
    // A minimum effect no other test uses, so the design is not cached yet.
    const request = { effectSigmas: Math.log(1.277) / 0.08, baselinePoints: 30, arlCritical: 40_000, arlWarning: 5000 };
    expect(isDesignCached(request)).toBe(false);
    const answers = await Promise.all(Array.from({ length: 20 }, () => thread.prime({ ...request })));
    // The first asker's job ran in the worker; the 19 queued behind it found it cached.
    expect(answers.filter((a) => a !== null)).toHaveLength(1);
    expect(isDesignCached(request)).toBe(true);
  });

  it('ends an idle worker and starts a new one for a later design (a kept worker holds its own heap)', async () => {
    const idle = createDesignThread({ idleMs: 50 });
    try {
      // Minimum effects no other test uses, so neither design is cached yet.
      const first = await idle.prime({ effectSigmas: Math.log(1.291) / 0.08, baselinePoints: 30, arlCritical: 40_000, arlWarning: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await idle.prime({ effectSigmas: Math.log(1.343) / 0.08, baselinePoints: 30, arlCritical: 40_000, arlWarning: 5000 });
      expect(first).not.toBeNull();
      expect(second).not.toBeNull();
      expect(second).not.toBe(first);
    } finally {
      await idle.close();
    }
  });

  it('reports a request the worker cannot solve instead of hanging', async () => {
    await expect(thread.prime({ effectSigmas: 1, baselinePoints: 1, arlCritical: 1000, arlWarning: 100 })).rejects.toThrow(
      /baseline must hold at least 2 points/,
    );
  });
});

describe('the pipeline', () => {
  it("solves a series' alert thresholds in the worker thread when its Phase I ends", async () => {
    expectBuiltCli();
    const lines: Array<{ msg: string; threadId?: number }> = [];
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
    const solved = lines.filter((l) => l.msg.startsWith('alert thresholds solved in worker thread'));
    expect(solved).toHaveLength(1);
    expect(solved[0]!.threadId).not.toBe(threadId);
    // Solved before the probe that ended Phase I was judged: the log says so first.
    expect(lines.indexOf(solved[0]!)).toBeLessThan(lines.findIndex((l) => l.msg.startsWith('alert detector ready')));
  });
});
