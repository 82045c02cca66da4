import { windowLimits } from '@llmscope/spc';
import { describe, expect, it, vi } from 'vitest';
import { useSeededApi } from './seededApi.js';
import { at, PLANNED, SERIES_A, SERIES_B } from './violationFixture.js';

// Real Postgres on a shared CI machine: give each test room; none asserts on speed.
vi.setConfig({ testTimeout: 30_000 });

interface ApiViolation {
  id: number;
  timestamp: string;
  rule: string;
  severity: string;
  model: string;
  target: string;
  acknowledged_at: string | null;
  note: string | null;
  rule_name: string | null;
}

const TOKEN = 'correct-horse-battery-staple';

const seededApi = useSeededApi();

const readOnly = () => seededApi.api();
const writable = () => seededApi.api({ apiToken: TOKEN });

function plannedIds(pred: (p: (typeof PLANNED)[number]) => boolean): number[] {
  return PLANNED.flatMap((p, i) => (pred(p) ? [seededApi.seeded.violationIds[i]!] : [])).sort((a, b) => a - b);
}

async function listIds(query: string): Promise<number[]> {
  const res = await readOnly().get(`/api/violations?${query}`).expect(200);
  return (res.body.violations as ApiViolation[]).map((v) => v.id).sort((a, b) => a - b);
}

describe('GET /api/violations', () => {
  it('lists every episode newest first, ties broken by id, with the rule text', async () => {
    const res = await readOnly().get('/api/violations').expect(200).expect('content-type', /json/);
    const rows = res.body.violations as ApiViolation[];
    expect(rows).toHaveLength(PLANNED.length);
    expect(res.body.next_cursor).toBeNull();
    for (let i = 1; i < rows.length; i += 1) {
      const prev = rows[i - 1]!;
      const cur = rows[i]!;
      const order = Date.parse(prev.timestamp) - Date.parse(cur.timestamp);
      expect(order > 0 || (order === 0 && prev.id > cur.id)).toBe(true);
    }
    const r1 = rows.find((v) => v.rule === 'R1')!;
    expect(r1.rule_name).toBe('Beyond 3σ');
  });

  it.each([
    ['rule=R1', (p: (typeof PLANNED)[number]) => p.rule === 'R1'],
    ['rule=R1,R5', (p: (typeof PLANNED)[number]) => p.rule === 'R1' || p.rule === 'R5'],
    ['rule=EWMA,CUSUM', (p: (typeof PLANNED)[number]) => p.rule === 'EWMA' || p.rule === 'CUSUM'],
    ['severity=info', (p: (typeof PLANNED)[number]) => p.severity === 'info'],
    ['severity=critical,info', (p: (typeof PLANNED)[number]) => p.severity !== 'warning'],
    [`model=${encodeURIComponent(SERIES_B.model)}`, (p: (typeof PLANNED)[number]) => p.series === 'B'],
    [`target=${SERIES_A.target}`, (p: (typeof PLANNED)[number]) => p.series === 'A'],
    ['probe=short', () => true],
    ['probe=long', () => false],
    ['acknowledged=true', (p: (typeof PLANNED)[number]) => p.acknowledged === true],
    ['acknowledged=false', (p: (typeof PLANNED)[number]) => p.acknowledged !== true],
    [`from=${at(100).toISOString()}&to=${at(200).toISOString()}`, (p: (typeof PLANNED)[number]) => p.index >= 100 && p.index <= 200],
    [`from=${at(250).getTime()}`, (p: (typeof PLANNED)[number]) => p.index >= 250],
    [`to=${at(25).toISOString()}`, (p: (typeof PLANNED)[number]) => p.index <= 25],
    [
      `rule=R1&target=${SERIES_A.target}&acknowledged=false`,
      (p: (typeof PLANNED)[number]) => p.rule === 'R1' && p.series === 'A' && p.acknowledged !== true,
    ],
  ])('filters by %s', async (query, pred) => {
    expect(await listIds(query)).toEqual(plannedIds(pred));
  });

  it.each([1, 2, 5, 11])('pages with limit=%i: every row exactly once, in order', async (limit) => {
    const seen: ApiViolation[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await readOnly().get(`/api/violations?${query}`).expect(200);
      const rows = res.body.violations as ApiViolation[];
      expect(rows.length).toBeLessThanOrEqual(limit);
      seen.push(...rows);
      cursor = res.body.next_cursor as string | null;
      pages += 1;
    } while (cursor && pages < 100);
    expect(pages).toBe(Math.ceil(PLANNED.length / limit));
    expect(seen.map((v) => v.id).sort((a, b) => a - b)).toEqual([...seededApi.seeded.violationIds].sort((a, b) => a - b));
    const all = await readOnly().get('/api/violations').expect(200);
    expect(seen.map((v) => v.id)).toEqual((all.body.violations as ApiViolation[]).map((v) => v.id));
  });

  it('keeps its filter across pages', async () => {
    const first = await readOnly().get('/api/violations?severity=warning&limit=2').expect(200);
    const second = await readOnly().get(`/api/violations?severity=warning&limit=2&cursor=${first.body.next_cursor}`).expect(200);
    const rows = [...first.body.violations, ...second.body.violations] as ApiViolation[];
    expect(rows.every((v) => v.severity === 'warning')).toBe(true);
    expect(new Set(rows.map((v) => v.id)).size).toBe(4);
  });
});

describe('GET /api/violations?telemetry=true', () => {
  it("adds each violation's sample telemetry (the viewer's drawer); without it the rows are the stored ones", async () => {
    const index = PLANNED.findIndex((p) => p.series === 'A' && p.index === 150);
    const id = seededApi.seeded.violationIds[index]!;
    const detail = (await readOnly().get(`/api/violations/${id}`).expect(200)).body.sample;
    const rows = (await readOnly().get('/api/violations?telemetry=true').expect(200)).body.violations;
    expect(rows).toHaveLength(PLANNED.length);
    const row = rows.find((v: { id: number }) => v.id === id);
    for (const key of [
      'total_duration_ms',
      'load_duration_ms',
      'prompt_eval_count',
      'prompt_eval_duration_ms',
      'ttft_ms',
      'tokens_per_second',
    ]) {
      expect(typeof row[key], key).toBe('number');
      expect(row[key], key).toBe(detail[key]);
    }
    const plain = (await readOnly().get('/api/violations').expect(200)).body.violations;
    expect(plain.find((v: { id: number }) => v.id === id)).not.toHaveProperty('total_duration_ms');
    await readOnly().get('/api/violations?telemetry=yes').expect(400);
  });
});

describe('GET /api/violations/:id', () => {
  it('returns the violation, its sample telemetry, ±10 context and the ±30 window with its own limits', async () => {
    const index = PLANNED.findIndex((p) => p.series === 'A' && p.index === 150);
    const id = seededApi.seeded.violationIds[index]!;
    const res = await readOnly().get(`/api/violations/${id}`).expect(200);
    const { violation, sample, context, window } = res.body;
    expect(violation).toMatchObject({ id, rule: 'R7', severity: 'info', model: SERIES_A.model });
    expect(violation.acknowledged_at).not.toBeNull();
    expect(sample.id).toBe(seededApi.seeded.sampleIds.A[150]);
    for (const key of [
      'total_duration_ms',
      'load_duration_ms',
      'prompt_eval_count',
      'prompt_eval_duration_ms',
      'eval_count',
      'eval_duration_ms',
      'ttft_ms',
      'cpu_percent',
      'gpu_percent',
    ]) {
      expect(typeof sample[key], key).toBe('number');
    }

    // ±10: every sample of the series, errors and timeouts included (index 147 timed out).
    expect(context.map((c: { offset: number }) => c.offset)).toEqual(Array.from({ length: 21 }, (_, i) => i - 10));
    expect(context.map((c: { id: number }) => c.id)).toEqual(seededApi.seeded.sampleIds.A.slice(140, 161));
    expect(context.find((c: { offset: number }) => c.offset === -3).status).toBe('timeout');
    const centre = context.find((c: { offset: number }) => c.offset === 0);
    expect(centre.is_violation).toBe(true);
    for (const key of ['eval_count', 'eval_duration_ms', 'cpu_percent', 'gpu_percent', 'deviation_sigma']) {
      expect(typeof centre[key], key).toBe('number');
    }

    // ±30 of the successful probes only: the timeout at 147 is skipped, so the window reaches back to 119.
    const { rows } = await seededApi.pool.query<{ id: string; latency_ms: number }>(
      `SELECT id, latency_ms FROM samples WHERE model = $1 AND status = 'ok' ORDER BY ts`,
      [SERIES_A.model],
    );
    const okIds = rows.map((r) => Number(r.id));
    const at150 = okIds.indexOf(seededApi.seeded.sampleIds.A[150]!);
    const expected = rows.slice(at150 - 30, at150 + 31);
    expect(window.points.map((p: { id: number }) => p.id)).toEqual(expected.map((r) => Number(r.id)));
    expect(window.points.filter((p: { is_violation: boolean }) => p.is_violation)).toHaveLength(1);
    const latencies = expected.map((r) => r.latency_ms);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    expect(window.limits.mean).toBeCloseTo(mean, 6);
    expect(window.limits).toEqual(windowLimits(latencies));
    expect(window.limits.ucl).toBeGreaterThan(mean);
    expect(window.limits.lcl).toBeLessThan(mean);
  });

  it('gives a short context at the end of a series', async () => {
    const index = PLANNED.findIndex((p) => p.series === 'A' && p.index === 299);
    const res = await readOnly().get(`/api/violations/${seededApi.seeded.violationIds[index]}`).expect(200);
    expect(res.body.context.map((c: { offset: number }) => c.offset)).toEqual(Array.from({ length: 11 }, (_, i) => i - 10));
    expect(res.body.window.points.at(-1).offset).toBe(0);
  });

  it('answers 404 for an id that does not exist', async () => {
    const res = await readOnly().get('/api/violations/987654321').expect(404);
    expect(res.body.error).toMatch(/no violation with id 987654321/);
  });
});

describe('mutations', () => {
  const unacknowledged = () => seededApi.seeded.violationIds[PLANNED.findIndex((p) => p.series === 'A' && p.index === 25)]!;

  it('refuses every mutation with 403 when no token is configured, and says how to enable them', async () => {
    for (const call of [
      readOnly().post(`/api/violations/${unacknowledged()}/ack`).send({ note: 'x' }),
      readOnly().delete('/api/violations?rule=R1'),
      readOnly().post('/api/baselines/reset').send({}),
      readOnly().post(`/api/violations/${unacknowledged()}/ack`).set('Authorization', `Bearer ${TOKEN}`),
    ]) {
      const res = await call.expect(403);
      expect(res.body.error).toMatch(/^the API is read-only: set LLMSCOPE_API_TOKEN to enable/);
    }
    const { rows } = await seededApi.pool.query('SELECT acknowledged_at FROM violations WHERE id = $1', [unacknowledged()]);
    expect(rows[0].acknowledged_at).toBeNull();
    expect(await listIds('rule=R1')).toHaveLength(4);
  });

  it.each([
    ['no header', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a token prefix', `Bearer ${TOKEN.slice(0, 5)}`],
    ['another scheme', `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`],
  ])('answers 401 to %s', async (_what, header) => {
    const call = writable().post(`/api/violations/${unacknowledged()}/ack`);
    if (header) call.set('Authorization', header);
    const res = await call.send({ note: 'nope' }).expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.error).toMatch(/API token/);
    const del = writable().delete('/api/violations');
    if (header) del.set('Authorization', header);
    await del.expect(401);
    expect(await listIds('')).toHaveLength(PLANNED.length);
  });

  it('acknowledges with a note, keeping the first acknowledgement time', async () => {
    const id = unacknowledged();
    const first = await writable()
      .post(`/api/violations/${id}/ack`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ note: 'model reloaded' })
      .expect(200);
    expect(first.body.violation.note).toBe('model reloaded');
    expect(Date.parse(first.body.violation.acknowledged_at)).toBeGreaterThan(Date.now() - 60_000);
    const second = await writable().post(`/api/violations/${id}/ack`).set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(second.body.violation.acknowledged_at).toBe(first.body.violation.acknowledged_at);
    expect(second.body.violation.note).toBe('model reloaded');
    expect(await listIds('acknowledged=true')).toContain(id);
    await writable().post('/api/violations/987654321/ack').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  });

  it('clears exactly the violations its filter matches', async () => {
    const before = await listIds('');
    const res = await writable()
      .delete(`/api/violations?rule=R1&model=${encodeURIComponent(SERIES_A.model)}`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(res.body.deleted).toBe(3);
    const after = await listIds('');
    expect(after).toHaveLength(before.length - 3);
    expect(await listIds('rule=R1')).toEqual(plannedIds((p) => p.rule === 'R1' && p.series === 'B'));
    const all = await writable().delete('/api/violations').set('authorization', `bearer ${TOKEN}`).expect(200);
    expect(all.body.deleted).toBe(after.length);
    expect(await listIds('')).toEqual([]);
  });
});
