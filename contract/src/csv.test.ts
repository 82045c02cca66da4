import { describe, expect, it } from 'vitest';
import { csvField, csvHeaderLine, csvLine, CSV_HEADER, defuseFormula, type CsvSource } from './csv.js';

const source: CsvSource = {
  violation: {
    timestamp: new Date('2026-01-02T03:04:05.678Z'),
    model: 'llama3.2:1b',
    rule: 'R1',
    latency_ms: 1234.5,
    deviation_sigma: -3.25,
    mean: 1000,
    std_dev: 50,
    ucl: 1150,
    lcl: 850,
    cpu_percent: 12.5,
    gpu_percent: null,
    eval_count: 42,
    eval_duration_ms: 800.125,
    id: 7,
    target: 'ollama',
    provider: 'ollama',
    probe: 'default',
    severity: 'critical',
    points: 3,
    last_seen_at: Date.parse('2026-01-02T03:05:00Z'),
    acknowledged_at: null,
    note: '=HYPERLINK("x"), said "he"',
    memory_percent: 40,
    prompt_hash: 'abc',
    sample_id: 99,
    created_at: new Date('2026-01-02T03:04:06Z'),
  },
  sample: {
    status: 'ok',
    cold_start: false,
    ttft_ms: 90,
    total_duration_ms: 1200,
    load_duration_ms: null,
    prompt_eval_count: 12,
    prompt_eval_duration_ms: 30,
    tokens_per_second: 52.5,
    gpu_memory_percent: null,
  },
};

describe('the violations CSV', () => {
  it('starts with the violation record columns in their order', () => {
    expect(CSV_HEADER.slice(0, 13).join(',')).toBe(
      'timestamp,model,rule,latency_ms,deviation_sigma,mean,std_dev,ucl,lcl,cpu%,gpu%,tokens,duration_ms',
    );
    expect(csvHeaderLine().endsWith('\r\n')).toBe(true);
  });

  it('writes times as ISO UTC from a Date or epoch ms, numbers as numbers, nulls empty', () => {
    const cells = csvLine(source).split(',');
    expect(cells.slice(0, 13)).toEqual([
      '2026-01-02T03:04:05.678Z',
      'llama3.2:1b',
      'R1',
      '1234.5',
      '-3.25',
      '1000',
      '50',
      '1150',
      '850',
      '12.5',
      '',
      '42',
      '800.125',
    ]);
    expect(csvLine(source)).toContain(',2026-01-02T03:05:00.000Z,,');
  });

  it('quotes text with commas or quotes and defuses formulas', () => {
    expect(csvLine(source)).toContain(`,"'=HYPERLINK(""x""), said ""he""",`);
  });

  it('quotes and defuses every formula start, also after a ; a spreadsheet may split on', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvField('ok;@SUM(9)')).toBe(`"ok;'@SUM(9)"`);
    expect(csvField('a; =1;"+2";b')).toBe(`"a;' =1;'""+2"";b"`);
    expect(defuseFormula(' =cmd')).toBe("' =cmd");
    expect(csvLine({ ...source, violation: { ...source.violation, model: 'ok;@SUM(9)' } })).toContain(`,"ok;'@SUM(9)",R1,`);
  });

  it('leaves harmless text and numbers as they are', () => {
    expect(csvField('llama3.2:1b')).toBe('llama3.2:1b');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('e-mail; 3-2')).toBe('"e-mail; 3-2"');
    expect(csvField('-3.25', true)).toBe('-3.25');
  });

  it('leaves the sample cells empty when the sample is gone', () => {
    const cells = csvLine({ ...source, violation: { ...source.violation, note: null }, sample: null })
      .trimEnd()
      .split(',');
    expect(cells).toHaveLength(CSV_HEADER.length);
    expect(cells[CSV_HEADER.indexOf('status')]).toBe('');
    expect(cells[CSV_HEADER.indexOf('tokens')]).toBe('42');
  });
});
