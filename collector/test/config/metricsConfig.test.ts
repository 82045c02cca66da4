// Config `metrics` (docs/scaling.md, "Prometheus cardinality"): per-series latency histograms
// on or off and their buckets; a bad value stops the start with one line naming the key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { LLM_LATENCY_BUCKETS_SECONDS } from '../../src/metrics/latencyBuckets.js';

const dir = mkdtempSync(join(tmpdir(), 'llmscope-metrics-config-'));
let n = 0;
function load(yaml: string) {
  const file = join(dir, `config-${n++}.yaml`);
  writeFileSync(file, yaml);
  return loadConfig({ file, env: {} });
}

describe('config metrics', () => {
  it('defaults to both histograms with the 10 ms … 81.92 s doubling buckets', () => {
    expect(load('').metrics).toEqual({ histograms: true, buckets: [...LLM_LATENCY_BUCKETS_SECONDS] });
  });

  it('the example configuration states the defaults', () => {
    const example = loadConfig({ file: new URL('./llmscope.example.yaml', import.meta.url).pathname, env: {} });
    expect(example.metrics).toEqual(load('').metrics);
  });

  it('takes histograms: false and a bucket list of its own', () => {
    expect(load('metrics: { histograms: false }').metrics.histograms).toBe(false);
    expect(load('metrics: { buckets: [0.05, 0.25, 1, 5] }').metrics.buckets).toEqual([0.05, 0.25, 1, 5]);
  });

  it.each([
    ['histograms not a boolean', 'metrics: { histograms: "no" }', /^config: metrics\.histograms: /],
    ['buckets out of order', 'metrics: { buckets: [1, 0.5, 2] }', /^config: metrics\.buckets: bucket bounds must be strictly increasing/],
    ['a repeated bound', 'metrics: { buckets: [0.5, 0.5] }', /^config: metrics\.buckets: bucket bounds must be strictly increasing/],
    ['a zero bound', 'metrics: { buckets: [0, 1] }', /^config: metrics\.buckets\[0\]: bucket bounds are seconds and must be positive/],
    [
      'no bounds',
      'metrics: { buckets: [] }',
      /^config: metrics\.buckets: needs at least one bucket bound \(or set metrics\.histograms: false\)/,
    ],
    [
      'too many bounds',
      `metrics: { buckets: [${Array.from({ length: 41 }, (_, i) => i + 1).join(', ')}] }`,
      /^config: metrics\.buckets: at most 40/,
    ],
    ['a bound that is text', 'metrics: { buckets: [0.1, "1s"] }', /^config: metrics\.buckets\[1\]: /],
    ['a misspelt key', 'metrics: { histogram: false }', /^config: metrics\.histogram: unknown key/],
  ])('%s → one line naming the key', (_name, yaml, expected) => {
    let error: unknown;
    try {
      load(yaml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toContain('\n');
  });
});
