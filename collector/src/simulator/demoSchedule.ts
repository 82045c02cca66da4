// The demo's simulated day, compressed: a clean baseline, then a repeating cycle of
// incidents (spike, sustained shift, slow drift, GPU contention) and one of each fault.
import type { SimulatedModelSpec } from './server.js';
import type { Schedule } from './schedule.js';

/** Requests per model before the first incident (the demo's baseline is shorter). */
export const DEMO_WARMUP = 50;
export const DEMO_CYCLE = 150;

export function demoSchedule(): Schedule {
  const at = (offset: number) => DEMO_WARMUP + offset;
  const every = DEMO_CYCLE;
  return {
    incidents: [
      { kind: 'spike', from: at(5), to: at(6), factor: 4, every },
      { kind: 'shift', from: at(20), to: at(50), factor: 1.3, every },
      { kind: 'drift', from: at(55), to: at(85), factor: 1.6, every },
      { kind: 'gpu-contention', from: at(90), to: at(110), factor: 1.5, every },
      { kind: 'spike', from: at(125), to: at(126), factor: 3, every },
    ],
    faults: [
      { kind: 'http500', at: at(2), every },
      { kind: 'garbage', at: at(15), every },
      { kind: 'truncate', at: at(40), every },
      { kind: 'hang', at: at(60), every },
      { kind: 'reset', at: at(75), every },
      { kind: 'error-field', at: at(115), every },
      { kind: 'slow', at: at(130), every },
      { kind: 'no-tokens', at: at(140), every },
    ],
  };
}

/** Two small models; the latency scales with the probe interval so probes fit in it. */
export function demoModels(intervalMs: number): SimulatedModelSpec[] {
  const median = Math.min(400, Math.max(8, intervalMs * 0.35));
  return [
    { name: 'llama3.2:1b', medianMs: median, evalTokens: 24, loadMs: Math.max(200, median * 8) },
    { name: 'qwen2.5:0.5b', medianMs: median * 0.6, evalTokens: 16, loadMs: Math.max(150, median * 6) },
  ];
}
