import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer } from '../../src/http/server.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { insertSamples, insertViolation, recordingPipeline, seriesSamples } from './fixtures.js';
import { useSeededApi } from './seededApi.js';
import { at, PLANNED, SERIES_A, T0 } from './violationFixture.js';

// Real Postgres on a shared CI machine: give each test room; none asserts on speed.
vi.setConfig({ testTimeout: 30_000 });

// pdf-parse 1.1.1: its index.js reads a test file when loaded without a parent module; the library proper is lib/.
const { default: pdfParse } = (await import('pdf-parse/lib/pdf-parse.js')) as {
  default: (data: Buffer) => Promise<{ text: string; numpages: number }>;
};

const ROADMAP_HEADER = 'timestamp,model,rule,latency_ms,deviation_sigma,mean,std_dev,ucl,lcl,cpu%,gpu%,tokens,duration_ms';
const AWKWARD = { target: 'lab', model: 'evil,"quoted" model', probe: 'short' };
const FORMULA = { target: 'lab', model: '=HYPERLINK("http://x")', probe: 'short' };
const UNICODE = { target: 'lab', model: 'qwen-通义 é', probe: 'short' };

let awkwardViolation: number;

const seededApi = useSeededApi();

beforeAll(async () => {
  const awkward = await insertSamples(seededApi.pool, seriesSamples({ ...AWKWARD, start: T0, count: 40, stepMs: 30_000, seed: 5 }));
  awkwardViolation = await insertViolation(seededApi.pool, {
    sampleId: awkward[30]!,
    rule: 'R1',
    severity: 'critical',
    note: 'line one\nline two',
  });
  const formula = await insertSamples(seededApi.pool, seriesSamples({ ...FORMULA, start: T0, count: 25, stepMs: 30_000, seed: 6 }));
  await insertViolation(seededApi.pool, { sampleId: formula[22]!, rule: 'R5', severity: 'warning' });
  const unicode = await insertSamples(seededApi.pool, seriesSamples({ ...UNICODE, start: T0, count: 25, stepMs: 30_000, seed: 7 }));
  await insertViolation(seededApi.pool, { sampleId: unicode[21]!, rule: 'R6', severity: 'warning' });
}, 60_000);

const api = () => seededApi.api();

function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

describe('GET /api/violations/export?format=csv', () => {
  it('starts with the violation record header (story 2.1), then the other telemetry columns', async () => {
    const res = await api().get('/api/violations/export?format=csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="llmscope-violations-.*\.csv"$/);
    const header = res.text.split('\r\n')[0]!;
    expect(header.startsWith(`${ROADMAP_HEADER},`)).toBe(true);
    for (const column of [
      'id',
      'target',
      'probe',
      'severity',
      'points',
      'ttft_ms',
      'total_duration_ms',
      'load_duration_ms',
      'prompt_eval_count',
      'tokens_per_second',
    ]) {
      expect(header.split(',')).toContain(column);
    }
  });

  it('writes one row per violation with its values, quoting commas, quotes and newlines', async () => {
    const res = await api().get('/api/violations/export?format=csv').expect(200);
    expect(res.text).toContain('"evil,""quoted"" model"');
    const rows = csvRecords(res.text);
    expect(rows).toHaveLength(PLANNED.length + 3);
    expect(rows.find((r) => r.rule === 'R6' && r.target === 'lab')!.model).toBe(UNICODE.model);
    const awkward = rows.find((r) => r.id === String(awkwardViolation))!;
    expect(awkward.model).toBe(AWKWARD.model);
    expect(awkward.note).toBe('line one\nline two');
    const { rows: stored } = await seededApi.pool.query(
      `SELECT v."timestamp", v.latency_ms, v.cpu_percent, v.eval_count, v.eval_duration_ms, s.ttft_ms
       FROM violations v JOIN samples s ON s.id = v.sample_id WHERE v.id = $1`,
      [awkwardViolation],
    );
    expect(awkward.timestamp).toBe(stored[0].timestamp.toISOString());
    expect(Number(awkward.latency_ms)).toBe(stored[0].latency_ms);
    expect(Number(awkward['cpu%'])).toBe(stored[0].cpu_percent);
    expect(Number(awkward.tokens)).toBe(stored[0].eval_count);
    expect(Number(awkward.duration_ms)).toBe(stored[0].eval_duration_ms);
    expect(Number(awkward.ttft_ms)).toBe(stored[0].ttft_ms);
    expect(awkward.rule).toBe('R1');
  });

  it('defuses cells a spreadsheet would run as formulas but leaves negative numbers alone', async () => {
    const res = await api().get('/api/violations/export?format=csv').expect(200);
    const rows = csvRecords(res.text);
    const formula = rows.find((r) => r.model?.includes('HYPERLINK'))!;
    expect(formula.model).toBe(`'${FORMULA.model}`);
    const { rows: negative } = await seededApi.pool.query('SELECT id::text FROM violations WHERE deviation_sigma < 0');
    expect(negative.length).toBeGreaterThan(0);
    for (const { id } of negative) {
      const row = rows.find((r) => r.id === id)!;
      expect(row.deviation_sigma).toMatch(/^-\d/);
    }
  });

  it('applies the same filters as the list', async () => {
    const res = await api()
      .get(`/api/violations/export?format=csv&rule=R1&target=${SERIES_A.target}&from=${at(26).toISOString()}`)
      .expect(200);
    const rows = csvRecords(res.text);
    const expected = PLANNED.filter((p) => p.rule === 'R1' && p.series === 'A' && p.index >= 26).length;
    expect(rows).toHaveLength(expected);
    expect(rows.every((r) => r.rule === 'R1' && r.target === SERIES_A.target)).toBe(true);
    const empty = await api().get('/api/violations/export?format=csv&model=absent').expect(200);
    expect(empty.text).toBe(res.text.split('\r\n')[0] + '\r\n');
  });

  it('streams exports larger than one page with every row exactly once', async () => {
    // 2 400 more episodes, many sharing a timestamp: the export walks them in keyset pages of 1000.
    await seededApi.pool.query(
      `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl,
         prompt_hash, sample_id, target, probe, severity, last_seen_at)
       SELECT s.ts, s.model, s.provider, r.rule, s.latency_ms, 0, 800, 64, 1000, 600, s.prompt_hash, s.id, s.target, s.probe, 'info', s.ts
       FROM samples s CROSS JOIN unnest(ARRAY['WE1','WE2','WE3','WE4','R8','R4','R6','R3']) AS r(rule)
       WHERE s.model = $1 ON CONFLICT (sample_id, rule) DO NOTHING`,
      [SERIES_A.model],
    );
    const { rows: count } = await seededApi.pool.query<{ n: string }>('SELECT count(*) AS n FROM violations');
    expect(Number(count[0]!.n)).toBeGreaterThan(2000);
    const res = await api().get('/api/violations/export?format=csv').expect(200);
    const rows = csvRecords(res.text);
    expect(rows).toHaveLength(Number(count[0]!.n));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const times = rows.map((r) => Date.parse(r.timestamp ?? ''));
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true);
    await seededApi.pool.query(
      `DELETE FROM violations WHERE rule IN ('WE1','WE2','WE3','WE4','R8') OR (rule IN ('R4','R6','R3') AND severity = 'info' AND deviation_sigma = 0)`,
    );
  });

  it('shrugs off a client that hangs up mid-download: nothing logged, no connection held, still serving', async () => {
    await seededApi.pool.query(
      `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl,
         prompt_hash, sample_id, target, probe, severity, last_seen_at)
       SELECT s.ts, s.model, s.provider, r.rule, s.latency_ms, 0, 800, 64, 1000, 600, s.prompt_hash, s.id, s.target, s.probe, 'info', s.ts
       FROM samples s CROSS JOIN unnest(ARRAY['WE1','WE2','WE3','WE4','R8']) AS r(rule) WHERE s.model = $1`,
      [SERIES_A.model],
    );
    const logged: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const serverPool = new pg.Pool({ connectionString: seededApi.url, max: 2 });
    serverPool.on('error', () => undefined);
    const server = await startHttpServer({
      config: { http: { host: '127.0.0.1', port: 0 } },
      pool: serverPool,
      registry: new YieldingRegistry(),
      logger: pino({ level: 'warn' }, sink),
      pipeline: recordingPipeline(0),
    });
    try {
      for (const format of ['csv', 'pdf']) {
        const abort = new AbortController();
        const res = await fetch(`${server.url}/api/violations/export?format=${format}`, { signal: abort.signal });
        const reader = res.body!.getReader();
        await reader.read();
        abort.abort();
      }
      // The export notices the hang-up at its next write; give it a few seconds on a busy machine.
      for (let i = 0; i < 50 && serverPool.totalCount - serverPool.idleCount > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(serverPool.totalCount - serverPool.idleCount).toBe(0);
      expect(logged).toEqual([]);
      const after = await fetch(`${server.url}/api/violations?limit=1`);
      expect(after.status).toBe(200);
    } finally {
      await server.close();
      await serverPool.end();
      await seededApi.pool.query(`DELETE FROM violations WHERE rule IN ('WE1','WE2','WE3','WE4','R8')`);
    }
  }, 30_000);
});

describe('GET /api/violations/export?format=pdf', () => {
  async function pdf(query: string): Promise<{ text: string; numpages: number; bytes: Buffer }> {
    const res = await api().get(`/api/violations/export?format=pdf${query}`).buffer(true).responseType('blob').expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    return { ...(await pdfParse(bytes)), bytes };
  }

  it('is a readable report: the filter, the summary, the violation rows and a chart per violation', async () => {
    const { text, numpages } = await pdf('&rule=R1,R7');
    expect(numpages).toBeGreaterThanOrEqual(1);
    expect(text).toContain('LLMscope violation report');
    expect(text).toContain('rule: R1, R7');
    const expected = PLANNED.filter((p) => p.rule === 'R1' || p.rule === 'R7');
    expect(text).toContain(`Violation episodes: ${expected.length + 1}`);
    expect(text).toMatch(/By severity: critical 5, warning 0, info 1/);
    for (const p of expected) expect(text).toContain(at(p.index).toISOString().replace('T', ' ').slice(0, 19));
    expect(text).toContain(SERIES_A.model);
    expect(text).toContain('evil,"quoted" model');
    // One chart per violation, each labelling its window's UCL, mean and LCL.
    expect(text.match(/UCL \d/g)).toHaveLength(expected.length + 1);
    expect(text.match(/mean \d/g)).toHaveLength(expected.length + 1);
    expect(text).not.toMatch(/more violation\(s\) match/);
  });

  it('prints labels outside the standard fonts\' character set as "?"', async () => {
    const { text } = await pdf(`&model=${encodeURIComponent(UNICODE.model)}`);
    expect(text).toContain('model: qwen-?? é');
    expect(text).toContain('qwen-?? é');
  });

  it('says so when it lists fewer violations than match, and caps the charts', async () => {
    const { MAX_CHARTS, MAX_TABLE_ROWS } = await import('../../src/export/violationsPdf.js');
    await seededApi.pool.query(
      `INSERT INTO violations ("timestamp", model, provider, rule, latency_ms, deviation_sigma, mean, std_dev, ucl, lcl,
         prompt_hash, sample_id, target, probe, severity, last_seen_at)
       SELECT s.ts, s.model, s.provider, r.rule, s.latency_ms, 0, 800, 64, 1000, 600, s.prompt_hash, s.id, s.target, s.probe, 'info', s.ts
       FROM samples s CROSS JOIN unnest(ARRAY['WE1','WE2','WE3','WE4']) AS r(rule) WHERE s.model = $1`,
      [SERIES_A.model],
    );
    const { text } = await pdf('&severity=info');
    const { rows } = await seededApi.pool.query<{ n: string }>(`SELECT count(*) AS n FROM violations WHERE severity = 'info'`);
    const total = Number(rows[0]!.n);
    expect(total).toBeGreaterThan(MAX_TABLE_ROWS);
    expect(text).toContain(`${total - MAX_TABLE_ROWS} more violation(s) match but are not listed here`);
    expect(text.match(/UCL \d/g)).toHaveLength(MAX_CHARTS);
  });
});
