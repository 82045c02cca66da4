// Promise (docs/reliability.md, "Hostile model servers"): 5 000 model names chosen to break the
// exposition format (quotes, backslashes, braces, '=', commas, non-Latin text, 256 characters)
// give a /metrics page that `promtool check metrics` accepts, within a documented memory bound.
// Names with control characters never get this far (labels.ts refuses them at discovery).
import { execFile } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createCollectorMetrics } from '../../src/metrics/collectorMetrics.js';
import { labelProblem } from '../../src/labels.js';
import { sampleRow } from '../helpers/rows.js';

const MODELS = 5000;
/** docs/reliability.md: the bound the metrics of 5 000 series stay under. */
const RSS_BOUND_MB = 700;

function hostileName(i: number): string {
  const parts = [`m${i}`, '"quoted"', 'back\\slash', '{brace}', 'a=b', 'c,d', 'qwen-通义', '😀', "'single'", '#hash'];
  const name = parts.slice(0, 1 + (i % parts.length)).join(' ');
  return i % 7 === 0 ? `${name}${'x'.repeat(256)}`.slice(0, 256) : name;
}

describe('metrics with 5 000 hostile model names', () => {
  it('pass promtool check metrics, within the memory bound', async () => {
    const names = Array.from({ length: MODELS }, (_, i) => hostileName(i));
    expect(names.every((n) => labelProblem(n) === null)).toBe(true);
    const before = process.memoryUsage().rss;
    const registry = new Registry();
    const metrics = createCollectorMetrics(registry);
    for (const model of names) {
      const series = { target: 'lab', model, probe: 'default' };
      metrics.seriesKnown(series);
      metrics.sampleRecorded(series, sampleRow({ ...series, latencyMs: 120 }));
    }
    const body = await registry.metrics();
    const grownMb = (process.memoryUsage().rss - before) / 1e6;
    console.log(
      `5 000 hostile series: /metrics ${(body.length / 1e6).toFixed(1)} MB, RSS grew ${grownMb.toFixed(0)} MB (bound ${RSS_BOUND_MB} MB)`,
    );
    expect(body).toContain('model="m1 \\"quoted\\""');
    expect(body).toContain('back\\\\slash');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const check = execFile('/usr/bin/promtool', ['check', 'metrics'], { maxBuffer: 64 * 1024 * 1024 });
      let text = '';
      check.stdout?.on('data', (d) => (text += d));
      check.stderr?.on('data', (d) => (text += d));
      check.on('close', (exit) => resolve({ code: exit, output: text }));
      check.stdin?.end(body);
    });
    expect(output).toBe('');
    expect(code).toBe(0);
    expect(grownMb).toBeLessThan(RSS_BOUND_MB);
  }, 120_000);
});
