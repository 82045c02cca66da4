// Promise: a model server that misbehaves never costs a sample or the cadence. Every probe
// (refused, hung past the timeout, HTTP 500, garbage JSON, stream cut mid-answer, a reply
// 100× slower, an error inside a 200, no tokens) yields exactly one sample with the right
// status, and a series that hangs does not hold up the others.
// (tests/providers/ollama.test.ts checks each fault at the provider; this checks the whole collector.)
import { describe, expect, it } from 'vitest';
import { startCollector } from '../../src/main.js';
import type { FaultKind } from '../../src/simulator/schedule.js';
import { SimulatedOllama } from '../../src/simulator/server.js';
import { capturedLogger, testConfig, waitFor } from '../helpers/collector.js';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { freePort } from './killablePostgres.js';

const INTERVAL_MS = 100;
const TIMEOUT_MS = 2000;

/** The faulty series' n-th request (0-based) and the sample it must give. */
const FAULTS: ReadonlyArray<[number, FaultKind, 'ok' | 'error' | 'timeout', RegExp | null]> = [
  [4, 'reset', 'error', /fetch failed|socket|terminated|ECONNRESET/i],
  [6, 'hang', 'timeout', /no complete reply .* within 2000 ms/],
  [8, 'http500', 'error', /HTTP 500/],
  [10, 'garbage', 'error', /malformed JSON/],
  [12, 'truncate', 'error', /ended before its final \(done\) chunk/],
  // 100× an 8 ms median is still inside the 2 s timeout: slow, but an answer.
  [14, 'slow', 'ok', null],
  [16, 'error-field', 'error', /Ollama error/],
  [18, 'no-tokens', 'error', /returned no tokens/],
];

describe('model server faults, through the whole collector', () => {
  const db = useMigratedDatabase();

  it('one sample per probe with the right status, and the cadence holds for the other series while one hangs', async () => {
    const sim = new SimulatedOllama({
      models: [
        { name: 'steady', medianMs: 8 },
        { name: 'faulty', medianMs: 8 },
        { name: 'hangs', medianMs: 8 },
      ],
      schedule: {
        incidents: [],
        faults: [...FAULTS.map(([at, kind]) => ({ kind, model: 'faulty', at })), { kind: 'hang', model: 'hangs', at: 0, every: 1 }],
      },
    });
    const simUrl = await sim.start();
    const closedPort = await freePort();
    const config = testConfig({
      collector: 'faults',
      targets: [
        { name: 'sim', url: simUrl, models: ['steady', 'faulty', 'hangs'] },
        { name: 'refused', url: `http://127.0.0.1:${closedPort}`, models: ['ghost'] },
      ],
      interval: `${INTERVAL_MS}ms`,
      timeout: `${TIMEOUT_MS}ms`,
      database: { url: db.url },
    });
    const { logger, text } = capturedLogger('warn');
    const collector = await startCollector({ config, logger });
    const started = Date.now();
    let stoppedAt = started;
    try {
      await waitFor('every fault to have been served', () => sim.requestCount('faulty') > 20 && sim.requestCount('hangs') >= 3, 60_000);
      stoppedAt = Date.now();
    } finally {
      await collector.stop();
      await sim.stop();
    }
    // From the first slot to the stop (the stop itself waits up to 2 s for the hanging probe).
    const ranMs = stoppedAt - started;

    const rows = async (target: string, model: string) =>
      (
        await db.check.query<{ ts: Date; status: string; error: string | null }>(
          `SELECT ts, status, error FROM samples WHERE collector = 'faults' AND target = $1 AND model = $2 ORDER BY ts`,
          [target, model],
        )
      ).rows;

    // Each scheduled fault is exactly the sample at its position; every other probe is ok.
    const faulty = await rows('sim', 'faulty');
    expect(faulty).toHaveLength(sim.requestCount('faulty'));
    faulty.forEach((sample, i) => {
      const fault = FAULTS.find(([at]) => at === i);
      const status = fault ? fault[2] : 'ok';
      expect(sample.status, `sample ${i} (${fault?.[1] ?? 'no fault'})`).toBe(status);
      if (fault?.[3]) expect(sample.error, `sample ${i} (${fault[1]})`).toMatch(fault[3]);
    });

    const hangs = await rows('sim', 'hangs');
    expect(hangs).toHaveLength(sim.requestCount('hangs'));
    expect(new Set(hangs.map((s) => s.status))).toEqual(new Set(['timeout']));

    // A refused connection is an error sample every slot, never a crash or a silent gap.
    const refused = await rows('refused', 'ghost');
    expect(refused.length).toBeGreaterThan((ranMs / INTERVAL_MS) * 0.5);
    expect(refused.every((s) => s.status === 'error' && /ECONNREFUSED/.test(s.error ?? ''))).toBe(true);

    // The steady series kept its 100 ms cadence while 'hangs' sat on 2 s timeouts.
    const steady = await rows('sim', 'steady');
    expect(steady.every((s) => s.status === 'ok')).toBe(true);
    expect(steady.length).toBeGreaterThan((ranMs / INTERVAL_MS) * 0.6);
    const gaps = steady.slice(1).map((s, i) => s.ts.getTime() - steady[i]!.ts.getTime());
    const sorted = [...gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(INTERVAL_MS * 0.8);
    expect(median).toBeLessThanOrEqual(INTERVAL_MS * 1.5);
    // Under the hanging series' 2 s: a few missed slots on a busy CPU, never a wait on another series.
    expect(Math.max(...gaps)).toBeLessThan(1500);
    expect(text()).not.toMatch(/"level":(50|60)/);
  }, 120_000);
});
