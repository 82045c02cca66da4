// The collector's HTTP API as the built-in viewer uses it (docs/api.md in the repository
// root describes every endpoint). Reads need no token; changes send it as a Bearer token.
import { takeEarlyAnswer } from './early';

export interface SeriesKey {
  target: string;
  model: string;
  probe: string;
}

export interface SeriesInfo extends SeriesKey {
  samples: number;
  first_at: string;
  last_at: string;
  violations: number;
  unacknowledged_violations: number;
}

/** One point of GET /api/stats/spc: limits in force at that point, in ms. */
export interface SpcPoint {
  id: number;
  ts: string;
  latency_ms: number | null;
  status: string;
  cold_start: boolean | null;
  center: number | null;
  ucl: number | null;
  lcl: number | null;
}

export interface SpcRange {
  total_points: number;
  downsampled: boolean;
  points: SpcPoint[];
}

export interface ViolationRow {
  id: number;
  timestamp: string;
  target: string;
  model: string;
  probe: string;
  rule: string;
  rule_name: string | null;
  severity: string;
  latency_ms: number;
  deviation_sigma: number;
  sample_id: number;
  points: number;
  acknowledged_at: string | null;
  note: string | null;
  /** The violation's own stored telemetry. */
  cpu_percent: number | null;
  memory_percent: number | null;
  gpu_percent: number | null;
  eval_count: number | null;
  eval_duration_ms: number | null;
  /** Its sample's telemetry (`telemetry=true`); null where retention removed the sample. */
  ttft_ms: number | null;
  total_duration_ms: number | null;
  load_duration_ms: number | null;
  prompt_eval_count: number | null;
  prompt_eval_duration_ms: number | null;
  tokens_per_second: number | null;
  gpu_memory_percent: number | null;
}

/** One alert episode of GET /api/alerts (docs/alerting.md); ended_at is null while open. */
export interface AlertRow {
  id: number;
  detector: string;
  severity: string;
  direction: string | null;
  effect: number;
  started_at: string;
  last_seen_at: string;
  ended_at: string | null;
  probes: number;
}

/** What the API answered instead of the data: its own message (and field) when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API's upper bound on max_points. */
const MAX_POINTS = 100_000;
const VIOLATIONS_PAGE = 1000;
/** Enough for any range the viewer offers; the panel marks the newest first if cut. */
const MAX_VIOLATIONS = 20_000;

async function call<T>(path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  // A read the page's first script already started (early.js) is not asked again.
  const early = init.method === undefined && !token ? takeEarlyAnswer(path) : undefined;
  const res = await (early ?? fetch(path, { ...init, headers }));
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as { error?: unknown } | null)?.error;
    throw new ApiError(
      res.status,
      typeof error === 'string' ? error : `${init.method ?? 'GET'} ${path} answered HTTP ${res.status}`
    );
  }
  return body as T;
}

function seriesParams(series: SeriesKey): URLSearchParams {
  return new URLSearchParams({ target: series.target, model: series.model, probe: series.probe });
}

export async function listSeries(): Promise<SeriesInfo[]> {
  return (await call<{ series: SeriesInfo[] }>('/api/series')).series;
}

/**
 * How many points to ask for: two per device pixel of the window's width, which the chart
 * never exceeds (Grafana's maxDataPoints does the same). The API thins a longer range
 * server-side, keeping each bucket's extremes and every violation point, so a week of a
 * 15 s series is a few thousand points of JSON, not 40 320 (docs/viewer.md).
 */
export function pointsForWidth(cssWidth: number, pixelRatio: number): number {
  return Math.min(MAX_POINTS, Math.max(500, Math.ceil(cssWidth * (pixelRatio || 1) * 2)));
}

export function spcRange(series: SeriesKey, from: number, to: number, maxPoints: number): Promise<SpcRange> {
  const q = seriesParams(series);
  q.set('from', new Date(from).toISOString());
  q.set('to', new Date(to).toISOString());
  q.set('max_points', String(maxPoints));
  return call<SpcRange>(`/api/stats/spc?${q}`);
}

/** Every violation of the series in the range with its sample's telemetry, following the API's cursor. */
export async function violationsInRange(series: SeriesKey, from: number, to: number): Promise<ViolationRow[]> {
  const q = seriesParams(series);
  q.set('from', new Date(from).toISOString());
  q.set('to', new Date(to).toISOString());
  q.set('limit', String(VIOLATIONS_PAGE));
  q.set('telemetry', 'true');
  const rows: ViolationRow[] = [];
  let cursor: string | null = null;
  do {
    if (cursor) {
      q.set('cursor', cursor);
    }
    const page: { violations: ViolationRow[]; next_cursor: string | null } = await call(`/api/violations?${q}`);
    rows.push(...page.violations);
    cursor = page.next_cursor;
  } while (cursor && rows.length < MAX_VIOLATIONS);
  return rows;
}

/** The alert episodes of the series open at some moment of the range. */
export async function alertsInRange(series: SeriesKey, from: number, to: number): Promise<AlertRow[]> {
  const q = seriesParams(series);
  q.set('from', new Date(from).toISOString());
  q.set('to', new Date(to).toISOString());
  return (await call<{ alerts: AlertRow[] }>(`/api/alerts?${q}`)).alerts;
}

export function acknowledge(id: number, note: string, token: string): Promise<{ violation: ViolationRow }> {
  return call(`/api/violations/${id}/ack`, { method: 'POST', body: JSON.stringify(note ? { note } : {}) }, token);
}

export function resetBaseline(series: SeriesKey, token: string): Promise<{ reset: unknown }> {
  return call('/api/baselines/reset', { method: 'POST', body: JSON.stringify(series) }, token);
}

export function clearViolations(series: SeriesKey, token: string): Promise<{ deleted: number }> {
  return call(`/api/violations?${seriesParams(series)}`, { method: 'DELETE' }, token);
}
