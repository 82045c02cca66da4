import { describe, expect, it } from 'vitest';
import { AlertMonitor, detectAlerts, type ProbeOutcome } from './alertMonitor.js';
import { seededNormal } from './normal.js';

const SIGMA_LN = Math.sqrt(Math.log(1 + 0.08 ** 2)); // CV 8 %
const policy = { intervalSeconds: 15 };

function latencies(count: number, seed: number, factor: (i: number) => number = () => 1): ProbeOutcome[] {
  const normal = seededNormal(seed);
  return Array.from({ length: count }, (_, i) => ({ status: 'ok' as const, latencyMs: 1700 * factor(i) * Math.exp(SIGMA_LN * normal()) }));
}

const paging = (episodes: ReturnType<typeof detectAlerts>) => episodes.filter((e) => e.severity !== 'info');

describe('alert monitor', () => {
  it('stays quiet on a day of in-control probes', () => {
    expect(paging(detectAlerts(latencies(5_760, 1), policy))).toEqual([]);
  });

  it('pages critical within three probes of a ×2 step (the benchmark gives the median), and stays open while it lasts', () => {
    const episodes = paging(
      detectAlerts(
        latencies(400, 2, (i) => (i >= 300 ? 2 : 1)),
        policy,
      ),
    );
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ detector: 'CUSUM', severity: 'critical', direction: 'up', end: 399, open: true });
    expect(episodes[0]!.start).toBeGreaterThanOrEqual(301); // never on the first point alone
    expect(episodes[0]!.start).toBeLessThanOrEqual(302);
    expect(episodes[0]!.effect).toBeGreaterThan(0.6);
  });

  it('closes the episode soon after the step ends', () => {
    const episodes = paging(
      detectAlerts(
        latencies(500, 3, (i) => (i >= 300 && i < 340 ? 2 : 1)),
        policy,
      ),
    );
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.open).toBe(false);
    expect(episodes[0]!.end).toBeLessThan(360);
  });

  it('does not page on a change below the minimum effect (+10 %)', () => {
    expect(
      paging(
        detectAlerts(
          latencies(2_000, 4, (i) => (i >= 200 ? 1.1 : 1)),
          policy,
        ),
      ),
    ).toEqual([]);
  });

  it('a +25 % step is a warning, not a page-worthy critical', () => {
    const [episode] = paging(
      detectAlerts(
        latencies(600, 5, (i) => (i >= 300 ? 1.25 : 1)),
        policy,
      ),
    );
    expect(episode).toMatchObject({ severity: 'warning', direction: 'up' });
    expect(episode!.start - 300).toBeLessThan(20);
  });

  it('a large drop (faster) is recorded as info and never pages', () => {
    const episodes = detectAlerts(
      latencies(400, 6, (i) => (i >= 300 ? 0.5 : 1)),
      policy,
    );
    expect(paging(episodes)).toEqual([]);
    expect(episodes).toContainEqual(expect.objectContaining({ detector: 'CUSUM', severity: 'info', direction: 'down', open: true }));
  });

  it('a single spike is info (outlier), not a page', () => {
    const outcomes = latencies(400, 7);
    outcomes[250] = { status: 'ok', latencyMs: 1700 * 8 };
    const episodes = detectAlerts(outcomes, policy);
    expect(paging(episodes)).toEqual([]);
    expect(episodes).toContainEqual(expect.objectContaining({ detector: 'outlier', severity: 'info', start: 250 }));
  });

  it('a cold start is info and no evidence of a shift', () => {
    const outcomes = latencies(400, 8);
    outcomes[250] = { status: 'ok', latencyMs: 6000, coldStart: true };
    outcomes[251] = { status: 'ok', latencyMs: 5000 };
    const episodes = detectAlerts(outcomes, policy);
    expect(paging(episodes)).toEqual([]);
    expect(episodes).toContainEqual(expect.objectContaining({ detector: 'cold-start', severity: 'info', start: 250 }));
  });

  it('a run of timeouts pages through availability and ends with the next ok probe', () => {
    const outcomes: ProbeOutcome[] = [
      ...latencies(200, 9),
      { status: 'timeout' },
      { status: 'timeout' },
      { status: 'timeout' },
      { status: 'error' },
      ...latencies(10, 10),
    ];
    const episodes = paging(detectAlerts(outcomes, policy));
    expect(episodes).toEqual([
      expect.objectContaining({ detector: 'availability', severity: 'critical', start: 200, end: 203, open: false }),
    ]);
  });

  it('two failures in a row do not page', () => {
    const outcomes: ProbeOutcome[] = [...latencies(200, 11), { status: 'timeout' }, { status: 'error' }, ...latencies(10, 12)];
    expect(paging(detectAlerts(outcomes, policy))).toEqual([]);
  });

  it('a constant baseline floors σ instead of paging on every point, and still catches a ×2 step', () => {
    const monitor = new AlertMonitor(policy);
    for (let i = 0; i < 100; i++) monitor.push({ status: 'ok', latencyMs: 1500 });
    expect(monitor.model).toMatchObject({ sigmaFloored: true });
    for (let i = 0; i < 50; i++) expect(monitor.push({ status: 'ok', latencyMs: 1500 }).opened).toEqual([]);
    monitor.push({ status: 'ok', latencyMs: 3000 });
    expect(monitor.push({ status: 'ok', latencyMs: 3000 }).opened).toContainEqual(
      expect.objectContaining({ detector: 'CUSUM', severity: 'critical' }),
    );
  });

  it('an SLO keeps a slower-but-within-SLO series quiet', () => {
    const outcomes = latencies(400, 13, (i) => (i >= 300 ? 2 : 1));
    expect(paging(detectAlerts(outcomes, { ...policy, sloMs: 5000 }))).toEqual([]);
    expect(paging(detectAlerts(outcomes, { ...policy, sloMs: 3000 }))).toHaveLength(1);
  });

  it('a restored snapshot carries on exactly like the monitor that never stopped', () => {
    const outcomes = latencies(400, 14, (i) => (i >= 250 ? 1.6 : 1));
    const straight = new AlertMonitor(policy);
    const resumed = new AlertMonitor(policy);
    let restored: AlertMonitor | null = null;
    const a: unknown[] = [];
    const b: unknown[] = [];
    outcomes.forEach((o, i) => {
      a.push(straight.push(o));
      if (i === 260) restored = AlertMonitor.restore(JSON.parse(JSON.stringify(resumed.snapshot())));
      b.push((restored ?? resumed).push(o));
    });
    expect(b).toEqual(a);
  });

  it('refuses a bad policy or latency with the name of the problem', () => {
    expect(() => new AlertMonitor({ intervalSeconds: 0 })).toThrow(/intervalSeconds/);
    expect(() => new AlertMonitor({ intervalSeconds: 15, minEffect: -1 })).toThrow(/minEffect/);
    expect(() => new AlertMonitor(policy).push({ status: 'ok', latencyMs: Number.NaN })).toThrow(/latency/);
  });
});
