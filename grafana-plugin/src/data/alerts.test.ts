import { createDataFrame, FieldType } from '@grafana/data';
import { tableOf } from '../test/fixtures';
import type { FlaggedPoint, Sample } from '../types';
import { countAlerts, pointsInAlerts, readAlerts, type AlertEpisode } from './alerts';

const T0 = Date.UTC(2026, 10, 20, 11, 0, 0);
const MIN = 60_000;

function alertsFrame() {
  return createDataFrame({
    refId: 'alerts',
    fields: [
      { name: 'id', type: FieldType.number, values: [7, 8, 9, 10, 11] },
      { name: 'detector', type: FieldType.string, values: ['CUSUM', 'availability', 'outlier', 'CUSUM', 'CUSUM'] },
      { name: 'severity', type: FieldType.string, values: ['critical', 'warning', 'info', 'loud', 'warning'] },
      { name: 'effect', type: FieldType.number, values: [0.42, 1, 2.5, 0.3, '0.25'] },
      // Postgres timestamps arrive as numbers, ISO strings or nulls (open episodes).
      {
        name: 'started_at',
        type: FieldType.time,
        values: [T0, new Date(T0 + 20 * MIN).toISOString(), T0 + 5 * MIN, T0, null],
      },
      { name: 'ended_at', type: FieldType.time, values: [T0 + 10 * MIN, null, T0 + 5 * MIN, null, null] },
    ],
  });
}

describe('readAlerts', () => {
  it('reads the frame with detector and started_at, skipping rows without a start or with an unknown severity', () => {
    const samplesLike = createDataFrame({ fields: [{ name: 'latency_ms', type: FieldType.number, values: [1] }] });
    expect(readAlerts([samplesLike, alertsFrame()])).toEqual([
      { key: 'alert7-critical', start: T0, end: T0 + 10 * MIN, severity: 'critical', detector: 'CUSUM', effect: 0.42 },
      {
        key: 'alert8-warning',
        start: T0 + 20 * MIN,
        end: null,
        severity: 'warning',
        detector: 'availability',
        effect: 1,
      },
      {
        key: 'alert9-info',
        start: T0 + 5 * MIN,
        end: T0 + 5 * MIN,
        severity: 'info',
        detector: 'outlier',
        effect: 2.5,
      },
    ]);
  });

  it('is null without an alerts frame (no alerts query) and empty for an alerts frame without rows', () => {
    const violations = createDataFrame({ fields: [{ name: 'rule', type: FieldType.string, values: ['R1'] }] });
    expect(readAlerts([violations])).toBeNull();
    const empty = createDataFrame({
      fields: [
        { name: 'detector', type: FieldType.string, values: [] },
        { name: 'started_at', type: FieldType.time, values: [] },
      ],
    });
    expect(readAlerts([empty])).toEqual([]);
  });
});

const episode = (over: Partial<AlertEpisode>): AlertEpisode => ({
  key: 'k',
  start: T0,
  end: null,
  severity: 'critical',
  detector: 'CUSUM',
  effect: 0.4,
  ...over,
});

describe('pointsInAlerts', () => {
  const samples = [0, 5, 10, 15, 30].map((m) => ({ time: T0 + m * MIN, latencyMs: null, status: 'ok' }) as Sample);
  const points = samples.map((_, i) => ({ sampleIndex: i, violations: [], severity: 'warning' }) as FlaggedPoint);

  it('marks the points inside a paging episode, ends included, and every later point of an open one', () => {
    const alerts = [
      episode({ start: T0 + 5 * MIN, end: T0 + 10 * MIN }),
      episode({ severity: 'warning', start: T0 + 30 * MIN }),
    ];
    expect([...pointsInAlerts(points, tableOf(samples), alerts)].sort()).toEqual([1, 2, 4]);
  });

  it('ignores info episodes, which never page', () => {
    expect(pointsInAlerts(points, tableOf(samples), [episode({ severity: 'info', end: T0 + 60 * MIN })]).size).toBe(0);
  });
});

describe('countAlerts', () => {
  it('counts open paging episodes whatever their start, and those raised in the range', () => {
    const alerts = [
      episode({ start: T0 - 60 * MIN }), // open critical raised before the range
      episode({ start: T0 + MIN, end: T0 + 2 * MIN }), // closed critical raised in it
      episode({ severity: 'warning', start: T0 + 3 * MIN }), // open warning raised in it
      episode({ severity: 'info', start: T0 + 4 * MIN }), // info: not an alert anyone gets
    ];
    expect(countAlerts(alerts, T0, T0 + 10 * MIN)).toEqual({
      open: { critical: 1, warning: 1 },
      raised: { critical: 1, warning: 1 },
    });
  });
});
