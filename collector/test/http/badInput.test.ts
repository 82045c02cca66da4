import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { useSeededApi } from './seededApi.js';
import { PLANNED } from './violationFixture.js';

// Real Postgres on a shared CI machine: give each test room; none asserts on speed.
vi.setConfig({ testTimeout: 30_000 });

const TOKEN = 'a-long-enough-token';
/** Everything the app logs at warn or above: a bad request must never get that far. */
const serious: string[] = [];

const seededApi = useSeededApi();

function api() {
  const sink = new Writable({
    write(chunk, _enc, done) {
      serious.push(String(chunk));
      done();
    },
  });
  return seededApi.api({ apiToken: TOKEN, logger: pino({ level: 'warn' }, sink) });
}

const enc = encodeURIComponent;
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

/** [method, path and query, the field the 400 must name, JSON body for POST] */
const BAD: readonly [string, string, string, unknown?][] = [
  ['GET', '/api/violations?from=yesterday', 'from'],
  ['GET', '/api/violations?from=2026-02-30', 'from'],
  ['GET', '/api/violations?to=2026-01-01T24:61:00Z', 'to'],
  ['GET', '/api/violations?from=-1', 'from'],
  ['GET', '/api/violations?to=99999999999999999999', 'to'],
  ['GET', '/api/violations?from=2026-01-02&to=2026-01-01', 'from'],
  ['GET', '/api/violations?limit=-1', 'limit'],
  ['GET', '/api/violations?limit=0', 'limit'],
  ['GET', '/api/violations?limit=1001', 'limit'],
  ['GET', '/api/violations?limit=1e3', 'limit'],
  ['GET', '/api/violations?limit=ten', 'limit'],
  ['GET', '/api/violations?limit=999999999999999999999999', 'limit'],
  ['GET', '/api/violations?limit=1&limit=2', 'limit'],
  ['GET', '/api/violations?rule=R9', 'rule'],
  ['GET', '/api/violations?rule=r1', 'rule'],
  ['GET', '/api/violations?rule=', 'rule'],
  ['GET', `/api/violations?rule=${enc("R1'); DROP TABLE violations; --")}`, 'rule'],
  ['GET', '/api/violations?rule=R1&rule=R2', 'rule'],
  ['GET', '/api/violations?severity=fatal', 'severity'],
  ['GET', '/api/violations?acknowledged=yes', 'acknowledged'],
  ['GET', '/api/violations?model=', 'model'],
  ['GET', `/api/violations?model=${'m'.repeat(300)}`, 'model'],
  ['GET', '/api/violations?model=a%00b', 'model'],
  ['GET', '/api/violations?target[]=x', 'target[]'],
  ['GET', '/api/violations?target[$ne]=x', 'target[$ne]'],
  ['GET', '/api/violations?modle=llama', 'modle'],
  ['GET', '/api/violations?cursor=not-a-cursor!', 'cursor'],
  ['GET', `/api/violations?cursor=${cursorOf('1.0')}`, 'cursor'],
  ['GET', `/api/violations?cursor=${cursorOf("1' OR '1'='1")}`, 'cursor'],
  ['GET', `/api/violations?cursor=${'A'.repeat(200)}`, 'cursor'],
  ['GET', '/api/violations/abc', 'id'],
  ['GET', '/api/violations/0', 'id'],
  ['GET', '/api/violations/-5', 'id'],
  ['GET', '/api/violations/1.5', 'id'],
  ['GET', '/api/violations/99999999999999999999', 'id'],
  ['GET', `/api/violations/${enc('1 OR 1=1')}`, 'id'],
  ['GET', '/api/violations/1?verbose=true', 'verbose'],
  ['GET', '/api/stats/spc?model=llama3.2:1b&max_points=5', 'max_points'],
  ['GET', '/api/stats/spc?model=llama3.2:1b&max_points=100001', 'max_points'],
  ['GET', '/api/stats/spc?model=llama3.2:1b&from=tomorrow', 'from'],
  ['GET', '/api/stats/spc?model=llama3.2:1b&from=2030-01-01', 'from'],
  ['GET', '/api/series?all=1', 'all'],
  ['GET', '/api/summary?window=1y', 'window'],
  ['GET', '/api/summary?window=0h', 'window'],
  ['GET', '/api/summary?window=-1h', 'window'],
  ['GET', '/api/summary?window=100000d', 'window'],
  ['GET', `/api/summary?window=${enc('1h; DROP TABLE samples')}`, 'window'],
  ['GET', '/api/violations/export', 'format'],
  ['GET', '/api/violations/export?format=xml', 'format'],
  ['GET', '/api/violations/export?format=csv&format=pdf', 'format'],
  ['GET', '/api/violations/export?format=csv&rule=R0', 'rule'],
  ['GET', '/api/violations/export?format=pdf&limit=5', 'limit'],
  ['DELETE', '/api/violations?rule=R99', 'rule'],
  ['DELETE', '/api/violations?acknowledged=1', 'acknowledged'],
  ['DELETE', '/api/violations?cursor=abc', 'cursor'],
  ['POST', '/api/violations/abc/ack', 'id', {}],
  ['POST', '/api/violations/1/ack', 'note', { note: 42 }],
  ['POST', '/api/violations/1/ack', 'note', { note: 'x'.repeat(2001) }],
  ['POST', '/api/violations/1/ack', 'acknowledged', { acknowledged: true }],
  ['POST', '/api/violations/1/ack', 'body', [1, 2]],
  ['POST', '/api/baselines/reset', 'target', { target: '' }],
  ['POST', '/api/baselines/reset', 'model', { model: ['a', 'b'] }],
  ['POST', '/api/baselines/reset', 'model', { model: { $ne: null } }],
];

describe('bad input', () => {
  it.each(BAD)('%s %s → 400 naming %s', async (method, path, field, body) => {
    let call = method === 'GET' ? api().get(path) : method === 'DELETE' ? api().delete(path) : api().post(path);
    call = call.set('Authorization', `Bearer ${TOKEN}`);
    const res = body === undefined ? await call : await call.send(body as object);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.field).toBe(field);
    expect(typeof res.body.error).toBe('string');
    expect(res.body.error.length).toBeGreaterThan(5);
  });

  it('never reached the final error handler, and changed nothing', async () => {
    expect(serious).toEqual([]);
    const { rows } = await seededApi.pool.query<{ n: string }>('SELECT count(*) AS n FROM violations WHERE acknowledged_at IS NULL');
    expect(Number(rows[0]!.n)).toBe(PLANNED.filter((p) => !p.acknowledged).length);
    const { rows: samples } = await seededApi.pool.query<{ n: string }>('SELECT count(*) AS n FROM samples');
    expect(Number(samples[0]!.n)).toBe(seededApi.seeded.sampleIds.A.length + seededApi.seeded.sampleIds.B.length);
  });

  it('treats injection strings in labels as plain text: no match, no error, tables intact', async () => {
    for (const attempt of ["' OR '1'='1", "llama3.2:1b'; DELETE FROM violations; --", '%', '\\', 'llama%']) {
      const res = await api()
        .get(`/api/violations?model=${enc(attempt)}`)
        .expect(200);
      expect(res.body.violations).toEqual([]);
      const csv = await api()
        .get(`/api/violations/export?format=csv&model=${enc(attempt)}`)
        .expect(200);
      expect(csv.text.trim().split('\n')).toHaveLength(1);
    }
    const all = await api().get('/api/violations').expect(200);
    expect(all.body.violations).toHaveLength(PLANNED.length);
    expect(serious).toEqual([]);
  });
});
