import type { Sample } from '../types';

export type SampleLookup = (sampleId: number | null, time: number) => number | null;

/**
 * Finds the sample a violation belongs to: by sample id when both queries carry it, else the
 * sample nearest in time (a violation's timestamp is its sample's timestamp). A time outside
 * the charted samples matches nothing, so no marker lands on a wrong point. The sample at the
 * violation's time almost always carries its id, so that is tried first (a binary search);
 * only a mismatch builds the id index, once.
 */
export function createSampleLookup(samples: readonly Sample[]): SampleLookup {
  let byId: Map<number, number> | null = null;
  const indexed = (sampleId: number) => {
    if (byId === null) {
      byId = new Map();
      for (const s of samples) {
        if (s.id !== null) {
          byId.set(s.id, s.index);
        }
      }
    }
    return byId.get(sampleId);
  };
  return (sampleId, time) => {
    const nearest = nearestInTime(samples, time);
    if (sampleId === null || (nearest !== null && samples[nearest].id === sampleId)) {
      return nearest;
    }
    return indexed(sampleId) ?? nearest;
  };
}

function nearestInTime(samples: readonly Sample[], time: number): number | null {
  if (samples.length === 0 || time < samples[0].time || time > samples[samples.length - 1].time) {
    return null;
  }
  let lo = 0;
  let hi = samples.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].time <= time) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return time - samples[lo].time <= samples[hi].time - time ? lo : hi;
}
