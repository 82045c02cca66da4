import type { SampleTable } from './sampleTable';

export type SampleLookup = (sampleId: number | null, time: number) => number | null;

/**
 * Finds the sample a violation belongs to: by sample id when both queries carry it, else the
 * sample nearest in time (a violation's timestamp is its sample's timestamp). A time outside
 * the charted samples matches nothing, so no marker lands on a wrong point. The sample at the
 * violation's time almost always carries its id, so that is tried first (a binary search);
 * only a mismatch builds the id index, once.
 */
export function createSampleLookup(table: SampleTable): SampleLookup {
  let byId: Map<number, number> | null = null;
  const indexed = (sampleId: number) => {
    if (byId === null) {
      byId = new Map();
      for (let i = 0; i < table.length; i++) {
        if (table.id[i] === table.id[i]) {
          byId.set(table.id[i], i);
        }
      }
    }
    return byId.get(sampleId);
  };
  return (sampleId, time) => {
    const nearest = nearestInTime(table.time, time);
    if (sampleId === null || (nearest !== null && table.id[nearest] === sampleId)) {
      return nearest;
    }
    return indexed(sampleId) ?? nearest;
  };
}

function nearestInTime(times: Float64Array, time: number): number | null {
  if (times.length === 0 || time < times[0] || time > times[times.length - 1]) {
    return null;
  }
  let lo = 0;
  let hi = times.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= time) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return time - times[lo] <= times[hi] - time ? lo : hi;
}
