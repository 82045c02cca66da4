// GET /api/alerts: the alert episodes of one series overlapping a range, from a real Postgres.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testApi } from './fixtures.js';

vi.setConfig({ testTimeout: 30_000 });

let db: TestDatabase;
let pool: pg.Pool;

const SERIES = { target: 'http://gpu:11434', model: 'llama3.2:1b', probe: 'default' };

interface Episode {
  model?: string;
  detector: string;
  severity: string;
  started: string;
  ended: string | null;
}

async function insertEpisode(e: Episode): Promise<void> {
  await pool.query(
    `INSERT INTO alerts (uid, target, model, probe, detector, severity, direction, effect, started_at, last_seen_at, ended_at, probes, sample_uid)
     VALUES ($1, $2, $3, $4, $5, $6, 'up', 0.42, $7::timestamptz, coalesce($8::timestamptz, $7::timestamptz), $8::timestamptz, 6, $9)`,
    [randomUUID(), SERIES.target, e.model ?? SERIES.model, SERIES.probe, e.detector, e.severity, e.started, e.ended, randomUUID()],
  );
}

beforeAll(async () => {
  db = await createMigratedTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // 10:00–10:05 ended before the range; 11:00–11:10 inside it; 11:50–12:30 crosses its end;
  // 12:45 starts after it; 09:00 still open; another model's episode inside the range.
  await insertEpisode({ detector: 'CUSUM', severity: 'warning', started: '2026-11-20T10:00:00Z', ended: '2026-11-20T10:05:00Z' });
  await insertEpisode({ detector: 'CUSUM', severity: 'critical', started: '2026-11-20T11:00:00Z', ended: '2026-11-20T11:10:00Z' });
  await insertEpisode({ detector: 'availability', severity: 'critical', started: '2026-11-20T11:50:00Z', ended: '2026-11-20T12:30:00Z' });
  await insertEpisode({ detector: 'outlier', severity: 'info', started: '2026-11-20T12:45:00Z', ended: '2026-11-20T12:45:00Z' });
  await insertEpisode({ detector: 'CUSUM', severity: 'warning', started: '2026-11-20T09:00:00Z', ended: null });
  await insertEpisode({ model: 'qwen2.5:0.5b', detector: 'CUSUM', severity: 'critical', started: '2026-11-20T11:05:00Z', ended: null });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const query = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ ...SERIES, from: '2026-11-20T11:00:00Z', to: '2026-11-20T12:00:00Z', ...extra }).toString();

describe('GET /api/alerts', () => {
  it('returns the episodes of that series open at some moment of the range, oldest first, open ones with ended_at null', async () => {
    const res = await testApi({ pool }).get(`/api/alerts?${query()}`).expect(200);
    expect(res.body.from).toBe('2026-11-20T11:00:00.000Z');
    expect(res.body.to).toBe('2026-11-20T12:00:00.000Z');
    const got = res.body.alerts.map((a: Record<string, unknown>) => [a.started_at, a.ended_at, a.severity, a.detector]);
    expect(got).toEqual([
      ['2026-11-20T09:00:00.000Z', null, 'warning', 'CUSUM'],
      ['2026-11-20T11:00:00.000Z', '2026-11-20T11:10:00.000Z', 'critical', 'CUSUM'],
      ['2026-11-20T11:50:00.000Z', '2026-11-20T12:30:00.000Z', 'critical', 'availability'],
    ]);
    expect(res.body.alerts[1]).toMatchObject({ ...SERIES, direction: 'up', effect: 0.42, probes: 6 });
    expect(typeof res.body.alerts[1].id).toBe('number');
  });

  it('without from/to reads the last 24 hours up to now', async () => {
    const res = await testApi({ pool })
      .get(`/api/alerts?${new URLSearchParams(SERIES).toString()}`)
      .expect(200);
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(24 * 3_600_000);
    // Only the still-open 09:00 episode reaches into the last day.
    expect(res.body.alerts.map((a: { started_at: string }) => a.started_at)).toEqual(['2026-11-20T09:00:00.000Z']);
  });

  it.each([
    ['model', new URLSearchParams({ target: SERIES.target, probe: SERIES.probe }).toString()],
    ['from', query({ from: '2026-11-20T13:00:00Z' })],
    ['to', query({ to: 'yesterday' })],
    ['color', query({ color: 'red' })],
  ])('answers 400 naming %s for a bad query', async (field, q) => {
    const res = await testApi({ pool }).get(`/api/alerts?${q}`).expect(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});
