// Availability: a run of failed probes (timeouts and errors) is an incident on its own, whatever
// the latency of the probes that did answer. The run length that pages is the shortest whose
// chance under the series' normal failure rate stays within the critical budget:
// p0^n ≤ 1 / ARL target, with p0 the Phase I failure ratio (at least FAILURE_RATE_FLOOR, as
// failures are rarely independent). See docs/alerting.md "Availability".

export const FAILURE_RATE_FLOOR = 0.01;
/** Two failures in a row never page: one retry-worthy blip plus one more is not an outage. */
export const MIN_FAILURE_RUN = 2;

export function failureRunToAlert(failureRatio: number, arlCritical: number): number {
  const p0 = Math.min(0.5, Math.max(FAILURE_RATE_FLOOR, failureRatio));
  return Math.max(MIN_FAILURE_RUN, Math.ceil(Math.log(arlCritical) / -Math.log(p0)));
}
