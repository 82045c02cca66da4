// The demo's simulated day, compressed: a clean baseline, then a repeating cycle of
// incidents (spike, sustained shift, slow drift, GPU contention) and one of each fault.
import type { SimulatedModelSpec } from './server.js';
import type { Schedule } from './schedule.js';

/** Requests per model before the first incident (just past the demo's 30-point baseline). */
export const DEMO_WARMUP = 35;
export const DEMO_CYCLE = 100;

export function demoSchedule(): Schedule {
  const at = (offset: number) => DEMO_WARMUP + offset;
  const every = DEMO_CYCLE;
  return {
    incidents: [
      { kind: 'spike', from: at(3), to: at(4), factor: 4, every },
      { kind: 'shift', from: at(10), to: at(30), factor: 1.3, every },
      { kind: 'drift', from: at(35), to: at(60), factor: 1.6, every },
      { kind: 'gpu-contention', from: at(65), to: at(80), factor: 1.5, every },
      { kind: 'spike', from: at(85), to: at(86), factor: 3, every },
    ],
    faults: [
      { kind: 'http500', at: at(1), every },
      { kind: 'garbage', at: at(12), every },
      { kind: 'truncate', at: at(25), every },
      { kind: 'hang', at: at(40), every },
      { kind: 'reset', at: at(50), every },
      { kind: 'error-field', at: at(70), every },
      { kind: 'slow', at: at(88), every },
      { kind: 'no-tokens', at: at(95), every },
    ],
  };
}

export const DEMO_SCENARIOS = ['cycle', 'calm', 'slowdown'] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

/** Requests per model after which the 'slowdown' scenario's model answers SLOWDOWN_FACTOR times as slowly for good. */
export const SLOWDOWN_FACTOR = 3;
export const SLOWDOWN_FROM = 100;

/**
 * The demo's scenarios: 'cycle' (the incidents above, repeating), 'calm' (the faults only: an
 * in-control run on which no alert should fire) and 'slowdown' (the faults, and from request
 * SLOWDOWN_FROM on llama3.2:1b takes three times as long, as when a model spills from GPU to CPU: an
 * incident every alert should catch). docs/alerting.md uses the last two.
 */
export function demoScenario(scenario: DemoScenario): Schedule {
  const schedule = demoSchedule();
  if (scenario === 'cycle') return schedule;
  const incidents =
    scenario === 'calm'
      ? []
      : [{ kind: 'shift' as const, model: 'llama3.2:1b', from: SLOWDOWN_FROM, to: Number.MAX_SAFE_INTEGER, factor: SLOWDOWN_FACTOR }];
  return { ...schedule, incidents };
}

/** Two small models; the latency scales with the probe interval so probes fit in it. */
export function demoModels(intervalMs: number): SimulatedModelSpec[] {
  const median = Math.min(400, Math.max(8, intervalMs * 0.35));
  return [
    { name: 'llama3.2:1b', medianMs: median, evalTokens: 24, loadMs: Math.max(200, median * 8) },
    { name: 'qwen2.5:0.5b', medianMs: median * 0.6, evalTokens: 16, loadMs: Math.max(150, median * 6) },
  ];
}
