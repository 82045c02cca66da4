// Promise: no request, however hostile, gets a 5xx, crashes the collector's API or changes the
// tables except through a mutation carrying the right token. fast-check generates a few
// thousand requests (methods, every endpoint and some that do not exist, random and malicious
// query strings, JSON and non-JSON bodies, headers, huge values, SQL and script injection) at
// the real express app over a real, seeded Postgres, through a real socket.
// (test/http/badInput.test.ts pins 64 known-bad inputs to their 400 and field; this explores.)
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpApp } from '../../src/http/server.js';
import { YieldingRegistry } from '../../src/metrics/yieldingRegistry.js';
import { capturedLogger } from '../helpers/collector.js';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingPipeline } from '../http/fixtures.js';
import { seedViolations } from '../http/violationFixture.js';
import { FULL_SIZE } from './size.js';

const TOKEN = 'fuzz-token-3c9e1a77';
/** Requests per phase (two phases: without and with the right token). */
const RUNS = FULL_SIZE ? 5000 : 1500;
const SEED = Number(process.env.LLMSCOPE_FUZZ_SEED ?? 20261127);

const HOSTILE = [
  "' OR 1=1 --",
  "'; DROP TABLE samples; --",
  '"; DELETE FROM violations; --',
  '1; TRUNCATE violations',
  "') UNION SELECT * FROM pg_shadow --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${jndi:ldap://x/a}',
  '%00',
  '\u0000',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '\r\nX-Injected: 1',
  '=cmd|/c calc!A1',
  '@SUM(1+1)',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9'.repeat(400),
  '-9223372036854775809',
  '0x7fffffff',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '😀'.repeat(50),
  'A'.repeat(20_000),
  'R1,R1,R1,R99',
  'critical,,',
  '2026-02-30',
  '1970-01-01T00:00:00Z',
  '0',
];
const PARAMS = [
  'target',
  'model',
  'probe',
  'from',
  'to',
  'max_points',
  'rule',
  'severity',
  'acknowledged',
  'limit',
  'cursor',
  'format',
  'window',
  'id',
  'note',
  '__proto__',
  'constructor',
  'q[]',
  'model[a]',
  'x',
];
const PATHS = [
  '/api/series',
  '/api/stats/spc',
  '/api/violations',
  '/api/violations/export',
  '/api/summary',
  '/api/baselines/reset',
  '/api/alerts',
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/violations/{id}',
  '/api/violations/{id}/ack',
  '/api/nope',
  '/',
  '/api',
  '/API/SERIES',
  '/api/series/',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
);
/** Query values are percent-encoded (a raw space is not HTTP), or sent raw when they are URL-safe. */
const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), text), text, fc.boolean()), { maxLength: 6 })
  .map((pairs) =>
    pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw && /^[\w.~-]*$/.test(v) ? v : encodeURIComponent(v)}`).join('&'),
  );
const idSegment = fc.oneof(
  fc.nat({ max: 50 }).map(String),
  text.map(encodeURIComponent),
  fc.constantFrom('0', '-1', '1e3', '99999999999999999999', '%2e%2e', '%00'),
);
const label = fc.oneof(fc.constantFrom('local', 'gpu-box', 'llama3.2:1b', 'qwen2.5:7b', 'short'), text);
const body = fc.oneof(
  fc.constant(undefined),
  // Well-formed mutation bodies (with hostile values), so the token phase reaches the handlers.
  fc.record({ target: label, model: label, probe: label }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ note: text }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        note: text,
        target: text,
        model: text,
        probe: text,
        alerts: fc.array(fc.record({ status: text, labels: fc.dictionary(text, text) }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  text,
  fc.constant(`{"note":"${'x'.repeat(40_000)}"}`),
  fc.constant('{"a":'.repeat(3000)),
);
const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant(`Bearer ${TOKEN}x`),
      fc.constant('Bearer '),
      fc.constant(`Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`),
      text.map((t) => `Bearer ${t}`),
    ),
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ),
    accept: fc.constantFrom('*/*', 'text/csv', 'application/pdf', 'text/html', '\u0000'),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', "' OR 1=1", '::1, 10.0.0.1'),
    origin: fc.constantFrom('http://evil.example', 'null'),
    cookie: text.map(encodeURIComponent),
  },
  { requiredKeys: [] },
);
const fuzzRequest = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.constantFrom(...PATHS),
  id: idSegment,
  query: fc.oneof(fc.constant(''), queryString, queryString),
  body,
  headers,
});
type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

/** Header values must be latin-1 without CR/LF to be sendable at all; anything else is replaced. */
function sendable(value: string): string {
  return value.replace(/[^\x20-\x7e\x80-\xff]/g, '?');
}

describe('hostile HTTP input at every endpoint', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let server: ReturnType<ReturnType<typeof createHttpApp>['listen']>;
  let port: number;
  const pipeline = recordingPipeline(2);
  const log = capturedLogger('warn');

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
    await seedViolations(pool);
    const app = createHttpApp({
      config: {
        http: { host: '127.0.0.1', port: 0, apiToken: TOKEN, corsOrigin: 'http://grafana.example', rateLimitPerMinute: 1_000_000 },
      },
      pool,
      registry: new YieldingRegistry(),
      logger: log.logger,
      pipeline,
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await pool?.end();
    await db?.drop();
  }, 60_000);

  function send(r: FuzzRequest, withToken: boolean): Promise<{ status: number; body: string }> {
    const path = `${r.path.replace('{id}', r.id)}${r.query ? `?${r.query}` : ''}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.headers)) headers[name] = sendable(value);
    if (withToken) headers.authorization = `Bearer ${TOKEN}`;
    // Node's client frames a DELETE/OPTIONS body only when told its length; unframed bytes would
    // be read as the next request on the connection, a test artefact rather than a server fault.
    const payload = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD' ? r.body : undefined;
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Per table: row count and an md5 over every row in key order. */
  async function fingerprint(): Promise<Record<string, { rows: number; md5: string }>> {
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const [table, order] of [
      ['samples', 'id'],
      ['violations', 'id'],
      ['baselines', 'id'],
      ['series_states', 'target, model, probe'],
      ['model_events', 'id'],
      ['pgmigrations', 'id'],
    ] as const) {
      const { rows } = await pool.query<{ rows: number; md5: string | null }>(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY ${order})) AS md5 FROM ${table} t`,
      );
      out[table] = { rows: rows[0]!.rows, md5: rows[0]!.md5 ?? '' };
    }
    return out;
  }

  /** What a mutation must never change in a violation row: everything but the acknowledgement. */
  async function violationFacts(): Promise<Map<string, string>> {
    const { rows } = await pool.query<{ id: string; facts: string }>(
      `SELECT id::text, md5((to_jsonb(v) - 'acknowledged_at' - 'note')::text) AS facts FROM violations v`,
    );
    return new Map(rows.map((r) => [r.id, r.facts]));
  }

  async function fuzz(withToken: boolean, seed: number): Promise<Map<number, number>> {
    const statuses = new Map<number, number>();
    // Libraries that complain on the console (not through our logger) would let a client spam stderr.
    const consoleError = vi.spyOn(console, 'error');
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const { status, body } = await send(r, withToken);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) throw new Error(`${status} for ${r.method} ${r.path} ${r.query}: ${body.slice(0, 300)}`);
        // Every answer under /api that is not a success is a JSON error that says what is wrong.
        // (431: Node itself refuses request lines and headers over 16 kB, before express sees them.)
        if (status >= 400 && status !== 431 && r.method !== 'HEAD' && r.path.startsWith('/api')) {
          expect(() => JSON.parse(body), `${status} for ${r.method} ${r.path}: ${JSON.stringify(body.slice(0, 200))}`).not.toThrow();
          expect(JSON.parse(body).error).toEqual(expect.any(String));
        }
      }),
      { numRuns: RUNS, seed, endOnFailure: true },
    );
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
    return statuses;
  }

  it('without the right token: no 5xx, and every table is exactly as it was', async () => {
    const before = await fingerprint();
    expect(before.violations!.rows).toBeGreaterThan(0);
    const statuses = await fuzz(false, SEED);
    console.log(`fuzz without token: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(await fingerprint()).toEqual(before);
    expect(pipeline.calls).toEqual([]);
    // Many requests must have been refused for their input, and some answered: the fuzz reached the handlers.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(log.text()).not.toMatch(/"level":(50|60)/);
  }, 300_000);

  it('with the right token: no 5xx; only acknowledgements and deletions of violations (and baseline resets) happen', async () => {
    const before = await fingerprint();
    const factsBefore = await violationFacts();
    const statuses = await fuzz(true, SEED + 1);
    console.log(`fuzz with token: ${RUNS} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    const after = await fingerprint();
    for (const table of ['samples', 'baselines', 'series_states', 'model_events', 'pgmigrations'])
      expect(after[table], table).toEqual(before[table]);
    // No violation appeared, and the ones left differ at most in acknowledged_at/note.
    const factsAfter = await violationFacts();
    for (const [id, facts] of factsAfter) expect(factsBefore.get(id), `violation ${id}`).toBe(facts);
    // The token did open the mutations: some baseline resets reached the pipeline.
    expect(pipeline.calls.length).toBeGreaterThan(0);
    expect(log.text()).not.toMatch(/"level":(50|60)/);
  }, 300_000);
});
