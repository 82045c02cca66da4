// The memory soak's subject, in a process of its own (run with --expose-gc): the built
// collector probing the simulated Ollama until SOAK_PROBES samples are recorded. It measures
// heap and RSS after a forced GC at the end of the warm-up and at the end, and prints them
// as one JSON line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { configSchema } from '../../dist/config/schema.js';
import { startCollector } from '../../dist/main.js';
import { silentObserver } from '../../dist/pipeline/observer.js';
import { SimulatedOllama } from '../../dist/simulator/server.js';

const total = Number(process.env.SOAK_PROBES);
// Past every series' Phase I (30 points, chart and alerts alike: the alert detector's design
// thread starts once, when the first Phase I ends) and the first spikes, faults and episodes.
const warmup = Math.max(500, Math.round(total * 0.25));
const models = Array.from({ length: 12 }, (_, i) => ({ name: `soak-${i}`, medianMs: 2 }));

/** Heap and RSS once the garbage collector has had its say. */
async function measure() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(50);
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

let recorded = 0;
const sim = new SimulatedOllama({
  models,
  // A realistic mix: a spike now and then (violations) and the odd fault (error samples).
  schedule: {
    incidents: [{ kind: 'spike', from: 150, to: 151, factor: 6, every: 97 }],
    faults: [{ kind: 'http500', at: 120, every: 211 }],
  },
});
const url = await sim.start();
const config = configSchema.parse({
  collector: 'soak',
  targets: [{ name: 'soak', url, models: models.map((m) => m.name) }],
  interval: '20ms',
  timeout: '2s',
  spc: { baselineSize: 30, minPoints: 20 },
  alerts: { baselineSize: 30 },
  http: { host: '127.0.0.1', port: 0 },
  store: { spillFile: join(mkdtempSync(join(tmpdir(), 'llmscope-soak-')), 'spill.ndjson'), flushInterval: '100ms' },
  telemetry: { gpu: false, psInterval: '1s' },
  database: { url: process.env.DATABASE_URL },
});
const collector = await startCollector({
  config,
  logger: pino({ level: 'warn' }, pino.destination(2)),
  observers: [{ ...silentObserver, sampleRecorded: () => void recorded++ }],
});
const start = process.memoryUsage();
const startedAt = Date.now();
while (recorded < warmup) await sleep(100);
const afterWarmup = await measure();
const warmupProbes = recorded;
while (recorded < total) await sleep(100);
const end = await measure();
const endProbes = recorded;
const seconds = (Date.now() - startedAt) / 1000;
await collector.stop();
await sim.stop();
process.stdout.write(
  `${JSON.stringify({ start: { rss: start.rss, heapUsed: start.heapUsed }, afterWarmup, warmupProbes, end, endProbes, probes: recorded, seconds })}\n`,
);
