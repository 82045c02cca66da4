// What the viewer shows: which series (from the list and the address bar) and the panel's
// data for a range. main.tsx loads the first view while the panel's module loads, so the page
// renders once with its data (docs/viewer.md, "First paint"); ViewerApp loads the later ones.
import { dateTime, LoadingState, type PanelData } from '@grafana/data';
import * as api from './api';
import { takeEarlyNow } from './early';
import { alertsFrame, samplesFrame, violationsFrame } from './frames';
import { rangeFromParam, resolveRange, type ViewerRange } from './timeRanges';

const DEFAULT_RANGE: ViewerRange = { kind: 'last', ms: 24 * 3_600_000 };

export interface Loaded {
  data: PanelData;
  violations: api.ViolationRow[];
  totalPoints: number;
  downsampled: boolean;
}

/** The series and range the address bar names (the range falls back to the last 24 h). */
export function fromAddress(): { series: Partial<api.SeriesKey>; range: ViewerRange } {
  const q = new URLSearchParams(window.location.search);
  const series: Partial<api.SeriesKey> = {};
  for (const key of ['target', 'model', 'probe'] as const) {
    const value = q.get(key);
    if (value) {
      series[key] = value;
    }
  }
  return { series, range: rangeFromParam(q.get('range'), DEFAULT_RANGE) };
}

/** The first listed series that matches what is picked so far (the address bar's, at start). */
export function pickSeries(list: readonly api.SeriesInfo[], wanted: Partial<api.SeriesKey>): api.SeriesKey | null {
  const match = list.find((s) =>
    (['target', 'model', 'probe'] as const).every((k) => wanted[k] === undefined || s[k] === wanted[k])
  );
  const s = match ?? list[0];
  return s ? { target: s.target, model: s.model, probe: s.probe } : null;
}

/** The panel's frames for the series over the range, from the API. */
export async function loadRange(series: api.SeriesKey, range: ViewerRange): Promise<Loaded> {
  // The first load resolves the range at the moment early.js did, so it takes early.js's answers.
  const { from, to } = resolveRange(range, takeEarlyNow() ?? Date.now());
  const maxPoints = api.pointsForWidth(window.innerWidth, window.devicePixelRatio);
  const [spc, violations, alerts] = await Promise.all([
    api.spcRange(series, from, to, maxPoints),
    api.violationsInRange(series, from, to),
    api.alertsInRange(series, from, to),
  ]);
  const timeRange = { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
  return {
    data: {
      state: LoadingState.Done,
      series: [samplesFrame(series, spc.points, violations), violationsFrame(violations), alertsFrame(alerts)],
      timeRange,
    },
    violations,
    totalPoints: spc.total_points,
    downsampled: spc.downsampled,
  };
}

/** The page's first view: the series list, the series and range picked, and its data (or why not). */
export interface FirstView {
  seriesList: api.SeriesInfo[] | null;
  series: api.SeriesKey | null;
  range: ViewerRange;
  loaded: Loaded | null;
  error: string | null;
}

export async function loadFirstView(): Promise<FirstView> {
  const address = fromAddress();
  let seriesList: api.SeriesInfo[];
  try {
    seriesList = await api.listSeries();
  } catch (e) {
    return {
      seriesList: null,
      series: null,
      range: address.range,
      loaded: null,
      error: `Cannot list the series: ${(e as Error).message}`,
    };
  }
  const series = pickSeries(seriesList, address.series);
  if (!series) {
    return { seriesList, series, range: address.range, loaded: null, error: null };
  }
  try {
    return { seriesList, series, range: address.range, loaded: await loadRange(series, address.range), error: null };
  } catch (e) {
    return { seriesList, series, range: address.range, loaded: null, error: (e as Error).message };
  }
}
