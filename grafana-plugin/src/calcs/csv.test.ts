import { CSV_HEADER } from '@llmscope/contract';
import { NO_CELLS } from '../data/violations';
import { toCsv } from './csv';
import type { ExportRow } from './exportRows';

const row: ExportRow = {
  violation: {
    ...NO_CELLS,
    timestamp: Date.UTC(2026, 10, 27, 12, 30),
    model: 'llama3.2:1b',
    rule: 'R1',
    severity: 'critical',
    latency_ms: 1450.25,
    deviation_sigma: -7.6,
    mean: 800,
    std_dev: 0.08,
    ucl: 1017.0,
    lcl: 629.3,
    cpu_percent: 20,
    gpu_percent: 70,
    eval_count: 48,
    eval_duration_ms: 1015.175,
    note: '=HYPERLINK("http://x")',
  },
  sample: {
    status: 'ok',
    cold_start: true,
    ttft_ms: 124,
    total_duration_ms: 1446.75,
    load_duration_ms: 512.0625,
    prompt_eval_count: 26,
    prompt_eval_duration_ms: 41.5,
    tokens_per_second: 47.28,
    gpu_memory_percent: null,
  },
};

describe('toCsv', () => {
  it('writes the contract header, then one CRLF line per violation', () => {
    const [header, line, end] = toCsv([row]).split('\r\n');
    expect(header).toBe(CSV_HEADER.join(','));
    expect(header.startsWith('timestamp,model,rule,latency_ms,deviation_sigma,mean,std_dev,ucl,lcl,cpu%,gpu%,tokens,duration_ms,')).toBe(true);
    // duration_ms is the eval duration (generation only), as the collector's export writes it.
    expect(line.split(',').slice(0, 13)).toEqual([
      '2026-11-27T12:30:00.000Z', 'llama3.2:1b', 'R1', '1450.25', '-7.6', '800', '0.08', '1017', '629.3', '20', '70', '48', '1015.175',
    ]);
    expect(end).toBe('');
  });

  it('quotes and defuses a formula in text, writes booleans and leaves nulls empty', () => {
    const cells = toCsv([row]).split('\r\n')[1];
    expect(cells).toContain(`,"'=HYPERLINK(""http://x"")",`);
    const at = (name: string) => cells.split(',')[CSV_HEADER.indexOf(name)];
    expect(at('cold_start')).toBe('true');
    expect(at('points')).toBe('');
  });
});
