import { CSV_HEADER, csvCell, toCsv } from './csv';
import type { ExportRow } from './exportRows';

const row: ExportRow = {
  timestamp: '2026-11-27T12:30:00.000Z',
  model: 'llama3.2:1b',
  rule: 'R1',
  severity: 'critical',
  latencyMs: 1450.25,
  deviationSigma: 7.6,
  mean: 800,
  stdDev: 0.08,
  ucl: 1017.0,
  lcl: 629.3,
  cpuPercent: 20,
  gpuPercent: 70,
  memoryPercent: 55,
  tokens: 48,
  durationMs: 1446.75,
  promptTokens: 26,
  loadDurationMs: 512.0625,
  promptEvalDurationMs: 41.5,
  evalDurationMs: 1015.175,
  ttftMs: 124,
  tokensPerSecond: 47.28,
  status: 'ok',
  sampleId: 1060,
};

describe('toCsv', () => {
  it('starts with the roadmap header, then the extra columns', () => {
    expect(CSV_HEADER.startsWith('timestamp,model,rule,latency_ms,deviation_sigma,mean,std_dev,ucl,lcl,cpu%,gpu%,tokens,duration_ms,')).toBe(true);
    const [header, line, end] = toCsv([row]).split('\r\n');
    expect(header).toBe(CSV_HEADER);
    expect(line.split(',').slice(0, 13)).toEqual([
      '2026-11-27T12:30:00.000Z',
      'llama3.2:1b',
      'R1',
      '1450.25',
      '7.6',
      '800',
      '0.08',
      '1017',
      '629.3',
      '20',
      '70',
      '48',
      '1446.75',
    ]);
    expect(line.split(',')).toHaveLength(header.split(',').length);
    expect(end).toBe('');
  });

  it('quotes separators and neutralises spreadsheet formulas in text', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
  });
});
