// Promise (docs/reliability.md, "Hostile model servers"): a 10 KB model name (which a model
// server could list before names were bounded, and which may still sit in an old database)
// gives a PDF of normal length, not 167 pages of one wrapped filter line. A forged page cursor
// with an impossible timestamp is a 400 naming the parameter, not a 500.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeViolationsPdf } from '../../src/export/violationsPdf.js';
import { cursorParam, encodeCursor } from '../../src/http/cursor.js';
import type { ViolationWithTelemetry } from '../../src/store/violationQueries.js';

const LONG = `m${'x'.repeat(10_000)}`;

function violation(i: number): ViolationWithTelemetry {
  const ts = new Date(Date.UTC(2026, 2, 1, 10, i));
  return {
    id: i + 1,
    timestamp: ts,
    target: 't',
    model: LONG,
    provider: 'ollama',
    probe: 'p',
    rule: 'R1',
    severity: 'critical',
    latency_ms: 900,
    deviation_sigma: 3.4,
    mean: 800,
    std_dev: 30,
    ucl: 890,
    lcl: 710,
    cpu_percent: 10,
    memory_percent: 40,
    gpu_percent: null,
    eval_count: 20,
    eval_duration_ms: 700,
    prompt_hash: 'h',
    sample_id: i + 1,
    points: 1,
    last_seen_at: ts,
    acknowledged_at: null,
    note: null,
    created_at: ts,
    status: 'ok',
    cold_start: false,
    ttft_ms: 100,
    total_duration_ms: 880,
    load_duration_ms: 0,
    prompt_eval_count: 10,
    prompt_eval_duration_ms: 80,
    tokens_per_second: 28,
    gpu_memory_percent: null,
  } as ViolationWithTelemetry;
}

describe('hostile labels in reports', () => {
  it('a 10 KB model name gives a one-page PDF', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    const ended = new Promise((resolve) => out.once('end', resolve));
    await writeViolationsPdf(out, {
      filter: [`model: ${LONG}`],
      counts: { total: 3, bySeverity: { critical: 3 }, byRule: { R1: 3 } },
      rows: (async function* () {
        for (let i = 0; i < 3; i++) yield violation(i);
      })(),
      windowOf: async () => null,
      generatedAt: new Date(),
    });
    await ended;
    const pdf = Buffer.concat(chunks).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // Page objects are plain dictionaries in pdfkit's output (the page contents are compressed).
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
  });

  it('a forged cursor with a timestamp Postgres cannot hold is refused like any bad parameter', () => {
    expect(cursorParam.safeParse(encodeCursor({ micros: '999999999999999999', id: 1 })).success).toBe(false);
    expect(cursorParam.safeParse(encodeCursor({ micros: '-999999999999999999', id: 1 })).success).toBe(false);
    expect(cursorParam.safeParse(encodeCursor({ micros: String(Date.UTC(2026, 0, 1) * 1000), id: 7 })).success).toBe(true);
  });
});
