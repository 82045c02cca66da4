import type { Sample } from '../types';

/**
 * The sample a violation belongs to: by sample id when both queries carry it, else the
 * sample nearest in time (the violation's timestamp is its sample's timestamp). A time
 * outside the charted samples matches nothing, so no marker lands on a wrong point.
 */
export function sampleIndexAt(samples: readonly Sample[], sampleId: number | null, time: number): number | null {
  if (sampleId !== null) {
    const byId = samples.find((s) => s.id === sampleId);
    if (byId) {
      return byId.index;
    }
  }
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
