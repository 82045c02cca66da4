// What the simulated server does to a model's latency on its n-th request (0-based):
// incidents change the distribution, faults break single requests.

export type IncidentKind = 'spike' | 'shift' | 'drift' | 'gpu-contention';

export interface Incident {
  kind: IncidentKind;
  /** Only this model (default: every model). */
  model?: string;
  /** First affected request (0-based, per model). */
  from: number;
  /** First request no longer affected (exclusive). */
  to: number;
  /** Latency multiplier (for drift: the multiplier reached at the end). */
  factor: number;
  /** Repeat the window every this many requests. */
  every?: number;
}

export type FaultKind =
  | 'reset' // the connection is dropped without a reply
  | 'hang' // the server never answers
  | 'http500'
  | 'garbage' // 200 with a body that is not JSON
  | 'truncate' // the stream stops before its final chunk
  | 'slow' // 100× the usual latency
  | 'error-field' // 200 whose stream carries {"error": …}
  | 'no-tokens'; // 200, done, but nothing generated

export const FAULT_KINDS: readonly FaultKind[] = ['reset', 'hang', 'http500', 'garbage', 'truncate', 'slow', 'error-field', 'no-tokens'];

export interface ScheduledFault {
  kind: FaultKind;
  model?: string;
  at: number;
  every?: number;
}

export interface Schedule {
  incidents: Incident[];
  faults: ScheduledFault[];
}

function offsetIn(index: number, from: number, every: number | undefined): number | null {
  if (index < from) return null;
  return every ? (index - from) % every : index - from;
}

function applies(model: string, rule: { model?: string }): boolean {
  return rule.model === undefined || rule.model === model;
}

export interface Effect {
  multiplier: number;
  /** Extra coefficient of variation (a contended GPU is noisier). */
  extraCv: number;
  /** Share of the model the GPU still holds (contention pushes layers to the CPU). */
  gpuFraction: number | null;
}

export function incidentEffect(incidents: readonly Incident[], model: string, index: number): Effect {
  const effect: Effect = { multiplier: 1, extraCv: 0, gpuFraction: null };
  for (const incident of incidents) {
    if (!applies(model, incident)) continue;
    const offset = offsetIn(index, incident.from, incident.every);
    const length = incident.to - incident.from;
    if (offset === null || offset >= length) continue;
    switch (incident.kind) {
      case 'spike':
      case 'shift':
        effect.multiplier *= incident.factor;
        break;
      case 'drift':
        effect.multiplier *= 1 + ((incident.factor - 1) * (offset + 1)) / length;
        break;
      case 'gpu-contention':
        effect.multiplier *= incident.factor;
        effect.extraCv += 0.15;
        effect.gpuFraction = 0.6;
        break;
    }
  }
  return effect;
}

export function scheduledFault(faults: readonly ScheduledFault[], model: string, index: number): FaultKind | null {
  for (const fault of faults) {
    if (applies(model, fault) && offsetIn(index, fault.at, fault.every) === 0) return fault.kind;
  }
  return null;
}
