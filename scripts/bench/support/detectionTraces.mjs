// Labelled probe traces for the detection benchmark: seeded, so every policy judges the same
// probes. A trace is one series probed every 15 s: ok latencies (log-normal, CV 8 % as real
// Ollama logs show), timeouts and failed-fast errors, cold starts, and for incident traces a
// known onset. Phase I (the first 100 probes) is always in control. See docs/alerting.md.

import { createRandom } from '../../../collector/dist/simulator/random.js';

export const INTERVAL_SECONDS = 15;
export const PROBES_PER_WEEK = (7 * 86_400) / INTERVAL_SECONDS;
export const PHASE_ONE = 100;
export const MEDIAN_MS = 1_700;
export const CV = 0.08;
const SIGMA_LN = Math.sqrt(Math.log(1 + CV * CV));
export const ONSET = 400;
/** Probes an incident lasts: 2 h at 15 s. */
export const INCIDENT_PROBES = 480;
const TIMEOUT_MS = 120_000;

export const STATUS = { ok: 0, error: 1, timeout: 2 };

/** The simulator's seeded generator (mulberry32), with the two draws the traces also need. */
function random(seed) {
  const rng = createRandom(seed);
  return { ...rng, between: (a, b) => a + (b - a) * rng.next(), int: (a, b) => a + Math.floor((b - a + 1) * rng.next()) };
}

function emptyTrace(length, onset = -1) {
  return {
    latency: new Float64Array(length),
    status: new Uint8Array(length),
    cold: new Uint8Array(length),
    onset,
    end: onset < 0 ? -1 : Math.min(length, onset + INCIDENT_PROBES),
  };
}

/** i.i.d. log-normal latency for a week. */
export function iidWeek(seed) {
  const rng = random(seed);
  const trace = emptyTrace(PROBES_PER_WEEK);
  for (let i = 0; i < trace.latency.length; i++) trace.latency[i] = MEDIAN_MS * Math.exp(SIGMA_LN * rng.normal());
  return trace;
}

/**
 * A realistic in-control week: AR(1) 0.1 noise, a level that wanders ±5 % over hours, single
 * spikes, cold starts after evictions, timeout bursts and failed-fast blocks — all things a
 * server does without anything worth a page having happened to its latency.
 */
export function realisticWeek(seed) {
  const rng = random(seed ^ 0x5bd1e995);
  const trace = emptyTrace(PROBES_PER_WEEK);
  const phi = 0.1;
  const innovation = SIGMA_LN * Math.sqrt(1 - phi * phi);
  const period = rng.between(720, 1_920); // 3–8 h
  const phase = rng.between(0, 2 * Math.PI);
  const wander = Math.log(1.05);
  let noise = SIGMA_LN * rng.normal();
  let coldNext = false;
  for (let i = 0; i < trace.latency.length; i++) {
    noise = phi * noise + innovation * rng.normal();
    let ms = MEDIAN_MS * Math.exp(wander * Math.sin((2 * Math.PI * i) / period + phase) + noise);
    if (coldNext) {
      ms += rng.between(2_000, 6_000); // the model is loaded again: Ollama's load_duration
      trace.cold[i] = 1;
      coldNext = false;
    } else if (rng.next() < 1 / 400) {
      ms *= rng.between(3, 9);
    }
    trace.latency[i] = ms;
    if (i < PHASE_ONE) continue;
    if (rng.next() < 1 / 1_440) coldNext = true; // evicted about every 6 h
    if (rng.next() < 1 / 5_000) {
      const burst = rng.int(3, 12);
      for (let j = i; j < Math.min(i + burst, trace.latency.length); j++) {
        trace.status[j] = STATUS.timeout;
        trace.latency[j] = TIMEOUT_MS;
        trace.cold[j] = 0;
      }
      i += burst - 1;
      coldNext = true;
    } else if (rng.next() < 1 / 10_000) {
      const block = rng.int(20, 200);
      for (let j = i; j < Math.min(i + block, trace.latency.length); j++) {
        trace.status[j] = STATUS.error;
        trace.latency[j] = rng.between(2, 8);
        trace.cold[j] = 0;
      }
      i += block - 1;
    }
  }
  return trace;
}

/** Incident classes: the latency multiplier (and noise scale) at probe `t` after the onset. */
export const INCIDENTS = {
  'step ×2': { factor: () => 2 },
  'step ×1.5': { factor: () => 1.5 },
  'step ×1.25': { factor: () => 1.25 },
  'step ×1.1': { factor: () => 1.1 },
  'drift +50 %/h': { factor: (t) => 1 + 0.5 * Math.min(1, t / 240) },
  'σ ×3': { factor: () => 1, noise: 3 },
  // A neighbour's job takes the GPU for 2 minutes every 10 minutes.
  'contention 2 min / 10 min': { factor: (t) => (t % 40 < 8 ? 1.6 : 1) },
};

/** An i.i.d. series with an incident from ONSET for INCIDENT_PROBES probes. */
export function incidentTrace(kind, seed) {
  const { factor, noise = 1 } = INCIDENTS[kind];
  const rng = random(seed * 7919 + kind.length);
  const trace = emptyTrace(ONSET + INCIDENT_PROBES, ONSET);
  for (let i = 0; i < trace.latency.length; i++) {
    const t = i - ONSET;
    const inIncident = t >= 0;
    trace.latency[i] = MEDIAN_MS * (inIncident ? factor(t) : 1) * Math.exp(SIGMA_LN * (inIncident ? noise : 1) * rng.normal());
  }
  return trace;
}
