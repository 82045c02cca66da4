// The default buckets of the per-series latency histograms (config `metrics.buckets`), apart
// from collectorMetrics.ts so that the config schema can name them without loading prom-client.

/** 10 ms doubling to 81.92 s: spans a cached one-token reply up to a cold 70B load. */
export const LLM_LATENCY_BUCKETS_SECONDS: readonly number[] = Array.from({ length: 14 }, (_, i) => 0.01 * 2 ** i);
