import type { DataFrame } from '@grafana/data';
import type { Severity } from '@llmscope/spc';
import type { FlaggedPoint } from '../types';
import type { SampleTable } from './sampleTable';
import { findField, numberAt, rowCount, stringAt, timeAt } from './frameFields';
import { asSeverity } from './ruleIds';

/** One alert episode of the alert policy (docs/alerting.md): one row of the `alerts` table. */
export interface AlertEpisode {
  /** Changes when the episode escalates, so a warning that becomes critical is news again. */
  key: string;
  start: number;
  /** Null while the episode is open. */
  end: number | null;
  severity: Severity;
  detector: string;
  /** Relative change of the median latency (0.31 = +31 %). */
  effect: number | null;
}

/** The severities that page; info episodes are recorded but never alert anyone. */
export const PAGING: readonly Severity[] = ['critical', 'warning'];

/**
 * Reads the alerts query (the dashboard's `alerts` refId, or the viewer's frame of the same
 * shape): the frame with `detector` and `started_at` columns. Null when no such frame exists,
 * so the caller can tell "no alerts query" from "no alerts".
 */
export function readAlerts(series: readonly DataFrame[]): AlertEpisode[] | null {
  const frame = series.find((f) => findField(f, 'detector') !== undefined && findField(f, 'started_at') !== undefined);
  if (!frame) {
    return null;
  }
  const f = {
    id: findField(frame, 'id'),
    start: findField(frame, 'started_at'),
    end: findField(frame, 'ended_at'),
    severity: findField(frame, 'severity'),
    detector: findField(frame, 'detector'),
    effect: findField(frame, 'effect'),
  };
  const out: AlertEpisode[] = [];
  for (let row = 0; row < rowCount(frame); row++) {
    const start = timeAt(f.start, row);
    const severity = asSeverity(stringAt(f.severity, row));
    // A row without a start or with an unknown severity cannot be placed or judged: skipped.
    if (start === null || severity === null) {
      continue;
    }
    out.push({
      key: `alert${stringAt(f.id, row) ?? row}-${severity}`,
      start,
      end: timeAt(f.end, row),
      severity,
      detector: stringAt(f.detector, row) ?? 'unknown',
      effect: numberAt(f.effect, row),
    });
  }
  return out;
}

/**
 * The flagged points that fall inside a paging alert episode (its start to its end, or on
 * while it is open): the chart rings them to show which rule signals became alerts.
 */
export function pointsInAlerts(
  points: readonly FlaggedPoint[],
  table: SampleTable,
  alerts: readonly AlertEpisode[]
): Set<number> {
  const out = new Set<number>();
  const paging = alerts.filter((a) => PAGING.includes(a.severity));
  if (paging.length === 0) {
    return out;
  }
  for (const point of points) {
    const time = table.time[point.sampleIndex];
    if (time !== undefined && paging.some((a) => time >= a.start && (a.end === null || time <= a.end))) {
      out.add(point.sampleIndex);
    }
  }
  return out;
}

export interface AlertCounts {
  /** Episodes still open, per paging severity. */
  open: Record<'critical' | 'warning', number>;
  /** Paging episodes that started in the visible range. */
  raised: Record<'critical' | 'warning', number>;
}

/** The summary card's alert figures for the visible range. */
export function countAlerts(alerts: readonly AlertEpisode[], from: number, to: number): AlertCounts {
  const counts: AlertCounts = { open: { critical: 0, warning: 0 }, raised: { critical: 0, warning: 0 } };
  for (const a of alerts) {
    if (a.severity === 'info') {
      continue;
    }
    if (a.end === null) {
      counts.open[a.severity]++;
    }
    if (a.start >= from && a.start <= to) {
      counts.raised[a.severity]++;
    }
  }
  return counts;
}
