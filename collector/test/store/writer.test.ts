import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/store/pool.js';
import type { StoreGroup } from '../../src/store/rows.js';
import { StoreWriter } from '../../src/store/writer.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { sampleRow, violationRow } from '../helpers/rows.js';
import { TcpProxy, throughProxy } from '../helpers/tcpProxy.js';

const logger = pino({ level: 'silent' });

describe('StoreWriter', () => {
  const db = useMigratedDatabase();

  const writer = (pool: pg.Pool, dir: string, queueSize = 1000) =>
    new StoreWriter({
      pool,
      logger,
      queueSize,
      spillFile: join(dir, 'spill.ndjson'),
      batchSize: 50,
      flushIntervalMs: 20,
      retryIntervalMs: 100,
    });

  it('writes the baselines of many series in one batch, each replacing its own, in order with resets', async () => {
    const pool = createPool({ databaseUrl: db.url, logger });
    const w = writer(pool, mkdtempSync(join(tmpdir(), 'llmscope-w-')));
    const baseline = (model: string, center: number) => ({
      kind: 'baseline' as const,
      row: {
        target: 't',
        model,
        probe: 'p',
        transform: 'log' as const,
        sigmaMethod: 'mr' as const,
        center,
        sigma: 0.1,
        n: 100,
        computedAt: '2026-12-01T00:00:00.000Z',
      },
    });
    // 300 series ending Phase I in one batch (as 1 000 do at a collector's start), then one of
    // them reset and given a second baseline, and another given a second baseline directly.
    const models = Array.from({ length: 300 }, (_, i) => `phase-${i}`);
    w.enqueue(models.map((model) => baseline(model, 1)));
    w.enqueue([
      { kind: 'baseline-reset', row: { target: 't', model: 'phase-0', probe: 'p', at: '2026-12-01T00:01:00.000Z' } },
      baseline('phase-1', 2),
      baseline('phase-1', 3),
    ]);
    await w.start();
    await w.flush();
    await w.close();
    await pool.end();
    const active = await db.check.query(`SELECT model, center FROM baselines WHERE model LIKE 'phase-%' AND active ORDER BY model`);
    const byModel = new Map(active.rows.map((r) => [r.model as string, r.center as number]));
    expect(byModel.size).toBe(299);
    expect(byModel.has('phase-0')).toBe(false);
    expect(byModel.get('phase-1')).toBe(3);
    expect(byModel.get('phase-299')).toBe(1);
    const history = await db.check.query(`SELECT count(*)::int AS n FROM baselines WHERE model = 'phase-1'`);
    expect(history.rows[0].n).toBe(3);
  });

  it('writes samples and violation episodes that reference them; replays are idempotent', async () => {
    const pool = createPool({ databaseUrl: db.url, logger });
    const w = writer(pool, mkdtempSync(join(tmpdir(), 'llmscope-w-')));
    await w.start();
    // Two series: one extended by series and opening ts (what the tracker writes), one by the
    // opening sample's uid alone (a row spilled, or an episode stored, before they were added).
    const located = sampleRow({ model: 'episode', latencyMs: 300 });
    const legacy = sampleRow({ model: 'episode-before', latencyMs: 300, ts: located.ts });
    const next = (first: typeof located) =>
      sampleRow({ model: first.model, latencyMs: 310, ts: new Date(Date.parse(first.ts) + 1000).toISOString() });
    const [locatedNext, legacyNext] = [next(located), next(legacy)];
    const open: StoreGroup = [
      { kind: 'sample', row: located },
      { kind: 'violation-open', row: violationRow(located) },
      { kind: 'sample', row: legacy },
      { kind: 'violation-open', row: violationRow(legacy) },
    ];
    const series = { target: located.target, model: located.model, probe: located.probe };
    const extend: StoreGroup = [
      { kind: 'sample', row: locatedNext },
      {
        kind: 'violation-extend',
        row: { sampleUid: located.uid, series, openedAt: located.ts, rule: 'R1', points: 2, lastSeenAt: locatedNext.ts },
      },
      { kind: 'sample', row: legacyNext },
      { kind: 'violation-extend', row: { sampleUid: legacy.uid, rule: 'R1', points: 2, lastSeenAt: legacyNext.ts } },
    ];
    w.enqueue(open);
    w.enqueue(extend);
    w.enqueue(open); // a replay (spill file re-read after a crash) must not duplicate
    w.enqueue(extend);
    await w.flush();
    await w.close();
    await pool.end();
    for (const [model, lastSeen] of [
      ['episode', locatedNext.ts],
      ['episode-before', legacyNext.ts],
    ]) {
      const samples = await db.check.query(`SELECT id, uid FROM samples WHERE model = $1 ORDER BY ts`, [model]);
      expect(samples.rows).toHaveLength(2);
      const violations = await db.check.query(
        `SELECT sample_id, rule, points, last_seen_at, "timestamp", latency_ms FROM violations WHERE model = $1`,
        [model],
      );
      expect(violations.rows).toHaveLength(1);
      expect(violations.rows[0]).toMatchObject({ sample_id: samples.rows[0].id, rule: 'R1', points: 2, latency_ms: 300 });
      expect((violations.rows[0].last_seen_at as Date).toISOString()).toBe(lastSeen);
    }
  });

  it('survives a database outage: queues, spills the oldest to a file when full, writes everything in order afterwards', async () => {
    const target = new URL(db.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const proxyPort = await proxy.start();
    const { url } = throughProxy(db.url, proxyPort);
    const pool = createPool({ databaseUrl: url, logger });
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-w-'));
    const w = writer(pool, dir, 20);
    await w.start();
    const base = Date.parse('2026-01-01T00:00:00Z');
    const rows = Array.from({ length: 120 }, (_, i) =>
      sampleRow({ model: 'outage', latencyMs: i, ts: new Date(base + i * 100).toISOString() }),
    );
    for (const row of rows.slice(0, 10)) w.enqueue([{ kind: 'sample', row }]);
    await w.flush();
    await proxy.stop();
    for (const row of rows.slice(10)) w.enqueue([{ kind: 'sample', row }]);
    // Give the writer time to notice the outage.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.healthy).toBe(false);
    expect(w.depth).toBe(110);
    expect(existsSync(join(dir, 'spill.ndjson'))).toBe(true);
    expect(readFileSync(join(dir, 'spill.ndjson'), 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(90);
    await proxy.start(proxyPort);
    await w.flush(20_000);
    expect(w.healthy).toBe(true);
    await w.close();
    await pool.end();
    await proxy.stop();
    const written = await db.check.query<{ latency_ms: number }>(`SELECT latency_ms FROM samples WHERE model = 'outage' ORDER BY id`);
    expect(written.rows.map((r) => r.latency_ms)).toEqual(rows.map((r) => r.latencyMs));
    expect(existsSync(join(dir, 'spill.ndjson'))).toBe(false);
  }, 30_000);

  it('loses nothing when the queue overflows while a batch is being written', async () => {
    const pool = createPool({ databaseUrl: db.url, logger });
    // Hold the first write open until the queue has overflowed (and spilled) behind it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const connect = pool.connect.bind(pool);
    let calls = 0;
    pool.connect = (async () => {
      const client = await connect();
      if (calls++ === 0) await held;
      return client;
    }) as typeof pool.connect;
    const w = writer(pool, mkdtempSync(join(tmpdir(), 'llmscope-w-')), 20);
    await w.start();
    const base = Date.parse('2026-02-01T00:00:00Z');
    const rows = Array.from({ length: 200 }, (_, i) =>
      sampleRow({ model: 'overflow', latencyMs: i, ts: new Date(base + i * 100).toISOString() }),
    );
    for (const row of rows.slice(0, 20)) w.enqueue([{ kind: 'sample', row }]);
    await new Promise((r) => setTimeout(r, 100)); // the writer has taken its first batch and waits on the held connection
    expect(calls).toBe(1);
    for (const row of rows.slice(20)) w.enqueue([{ kind: 'sample', row }]);
    release();
    await w.flush(20_000);
    await w.close();
    await pool.end();
    const written = await db.check.query(`SELECT latency_ms FROM samples WHERE model = 'overflow' ORDER BY ts`);
    expect(written.rows.map((r) => r.latency_ms)).toEqual(rows.map((r) => r.latencyMs));
  });

  it('stages the next batch while the current one commits, and still writes in queue order across batches', async () => {
    const pool = createPool({ databaseUrl: db.url, logger });
    // How many connections the writer holds at once: 2 while a batch is staged ahead.
    const connect = pool.connect.bind(pool);
    let held = 0;
    let mostHeld = 0;
    pool.connect = (async () => {
      const client = await connect();
      mostHeld = Math.max(mostHeld, ++held);
      const release = client.release.bind(client);
      client.release = (error?: Error | boolean) => {
        held--;
        release(error);
      };
      return client;
    }) as typeof pool.connect;
    const w = writer(pool, mkdtempSync(join(tmpdir(), 'llmscope-w-')), 5000);
    const base = Date.parse('2026-02-02T00:00:00Z');
    const rows = Array.from({ length: 600 }, (_, i) =>
      sampleRow({ model: 'ahead', latencyMs: i, ts: new Date(base + i * 100).toISOString() }),
    );
    // A violation opened by the last group of the first batch (50 items), carried on by groups of the next two.
    const opener = rows[49]!;
    const groups: StoreGroup[] = rows.map((row) => [{ kind: 'sample', row }]);
    groups[49]!.push({ kind: 'violation-open', row: violationRow(opener) });
    const episode = {
      sampleUid: opener.uid,
      series: { target: opener.target, model: opener.model, probe: opener.probe },
      openedAt: opener.ts,
    };
    groups[50]!.push({ kind: 'violation-extend', row: { ...episode, rule: 'R1', points: 2, lastSeenAt: rows[50]!.ts } });
    groups[120]!.push({ kind: 'violation-extend', row: { ...episode, rule: 'R1', points: 3, lastSeenAt: rows[120]!.ts } });
    for (const group of groups) w.enqueue(group); // queued before the start: the writer finds many batches
    await w.start();
    await w.flush();
    await w.close();
    await pool.end();
    expect(mostHeld).toBe(2);
    const written = await db.check.query(`SELECT latency_ms FROM samples WHERE model = 'ahead' ORDER BY id`);
    expect(written.rows.map((r) => r.latency_ms)).toEqual(rows.map((r) => r.latencyMs));
    const violation = await db.check.query(`SELECT points, last_seen_at FROM violations WHERE model = 'ahead'`);
    expect(violation.rows).toHaveLength(1);
    expect(violation.rows[0].points).toBe(3);
    expect((violation.rows[0].last_seen_at as Date).toISOString()).toBe(rows[120]!.ts);
  }, 30_000);

  it('loses and doubles nothing when the connections drop while batches are staged ahead', async () => {
    const target = new URL(db.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const proxyPort = await proxy.start();
    const pool = createPool({ databaseUrl: throughProxy(db.url, proxyPort).url, logger });
    const w = writer(pool, mkdtempSync(join(tmpdir(), 'llmscope-w-')), 5000);
    const base = Date.parse('2026-02-03T00:00:00Z');
    const rows = Array.from({ length: 3000 }, (_, i) =>
      sampleRow({ model: 'dropped', latencyMs: i, ts: new Date(base + i * 100).toISOString() }),
    );
    for (const row of rows) w.enqueue([{ kind: 'sample', row }]);
    await w.start();
    const count = async () => (await db.check.query(`SELECT count(*)::int AS n FROM samples WHERE model = 'dropped'`)).rows[0].n as number;
    while ((await count()) < 300) await new Promise((r) => setTimeout(r, 5));
    await proxy.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(w.healthy).toBe(false);
    await proxy.start(proxyPort);
    await w.flush(20_000);
    await w.close();
    await pool.end();
    await proxy.stop();
    const written = await db.check.query(`SELECT latency_ms FROM samples WHERE model = 'dropped' ORDER BY id`);
    expect(written.rows.map((r) => r.latency_ms)).toEqual(rows.map((r) => r.latencyMs));
  }, 60_000);

  it('close() while the database is down keeps everything in the spill file; the next writer writes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-w-'));
    const downPool = createPool({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', logger });
    const w1 = writer(downPool, dir);
    await w1.start();
    const rows = Array.from({ length: 5 }, (_, i) => sampleRow({ model: 'handover', latencyMs: i }));
    for (const row of rows) w1.enqueue([{ kind: 'sample', row }]);
    const started = Date.now();
    await w1.close(1500);
    expect(Date.now() - started).toBeLessThan(5000);
    await downPool.end();
    expect(readFileSync(join(dir, 'spill.ndjson'), 'utf8').split('\n').filter(Boolean)).toHaveLength(5);

    const pool = createPool({ databaseUrl: db.url, logger });
    const w2 = writer(pool, dir);
    await w2.start();
    expect(w2.depth).toBe(5);
    await w2.flush();
    await w2.close();
    await pool.end();
    const written = await db.check.query(`SELECT latency_ms FROM samples WHERE model = 'handover' ORDER BY id`);
    expect(written.rows.map((r) => r.latency_ms)).toEqual([0, 1, 2, 3, 4]);
  }, 20_000);
  it('a group the database refuses (bad data) is kept in a rejected file; the rest of its batch is written', async () => {
    const pool = createPool({ databaseUrl: db.url, logger });
    const dir = mkdtempSync(join(tmpdir(), 'llmscope-w-'));
    const w = writer(pool, dir);
    await w.start();
    const good = [sampleRow({ model: 'mixed', latencyMs: 1 }), sampleRow({ model: 'mixed', latencyMs: 3 })];
    const bad = sampleRow({ model: 'mixed', latencyMs: 2, status: 'weird' as never });
    w.enqueue([{ kind: 'sample', row: good[0]! }]);
    w.enqueue([{ kind: 'sample', row: bad }]);
    w.enqueue([{ kind: 'sample', row: good[1]! }]);
    await w.flush();
    await w.close();
    await pool.end();
    const written = await db.check.query(`SELECT latency_ms FROM samples WHERE model = 'mixed' ORDER BY id`);
    expect(written.rows.map((r) => r.latency_ms)).toEqual([1, 3]);
    const rejected = readFileSync(join(dir, 'spill.rejected.ndjson'), 'utf8').trim().split('\n');
    expect(rejected).toHaveLength(1);
    expect(JSON.parse(rejected[0]!)[0].row.uid).toBe(bad.uid);
  }, 20_000);
});
