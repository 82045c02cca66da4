import { Router } from 'express';
import { z } from 'zod';
import { SEVERITIES } from '@llmscope/contract';
import { deviationFromStoredLimits, zonesFromStoredLimits } from '@llmscope/spc';
import {
  chartPoints,
  countSeriesPoints,
  downsampledChartPoints,
  listSeries,
  matchSeries,
  rollupChartPoints,
  type ChartPoint,
  type SeriesKey,
} from '../../store/seriesQueries.js';
import { foldRollups } from '../../store/rollupQueries.js';
import type { ApiContext } from '../apiContext.js';
import { badRequest, notFound } from '../errors.js';
import { intParam, labelParam, parseQuery, timeParam } from '../validation.js';
import { fromNotAfterTo } from '../violationFilter.js';

const DEFAULT_RANGE_MS = 24 * 3_600_000;
const DEFAULT_MAX_POINTS = 1000;
/** Beyond this many samples a downsampled range is drawn from the minute rollups, not a raw scan (docs/api.md). */
const RAW_SCAN_LIMIT = 20_000;

const spcQuery = z
  .strictObject({
    target: labelParam.optional(),
    model: labelParam.optional(),
    probe: labelParam.optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    max_points: intParam(10, 100_000).optional(),
  })
  .superRefine(fromNotAfterTo);

function chartPoint(p: ChartPoint) {
  const zones = zonesFromStoredLimits(p.spc_center, p.spc_ucl, p.spc_lcl);
  const severity = SEVERITIES.find((s) => p.severities.includes(s)) ?? null;
  return {
    id: p.id,
    ts: p.ts,
    latency_ms: p.latency_ms,
    status: p.status,
    cold_start: p.cold_start,
    center: zones?.center ?? null,
    ucl: zones?.ucl ?? null,
    lcl: zones?.lcl ?? null,
    plus1: zones?.plus1 ?? null,
    minus1: zones?.minus1 ?? null,
    plus2: zones?.plus2 ?? null,
    minus2: zones?.minus2 ?? null,
    deviation_sigma: deviationFromStoredLimits(p.latency_ms, p.spc_center, p.spc_ucl, p.spc_lcl),
    rules: p.rules,
    severity,
    violation_ids: p.violation_ids,
  };
}

/** A range query must name one series; the labels given may be enough when they are unambiguous. */
async function resolveSeries(ctx: ApiContext, labels: Partial<SeriesKey>): Promise<SeriesKey> {
  const matches = await matchSeries(ctx.pool, labels, 2);
  if (matches.length === 0) throw notFound(`no series matches ${JSON.stringify(labels)}; GET /api/series lists them`);
  if (matches.length > 1) {
    const missing = (['target', 'model', 'probe'] as const).find((k) => labels[k] === undefined) ?? 'target';
    throw badRequest(missing, `several series match; give ${missing} (GET /api/series lists them)`);
  }
  return matches[0]!;
}

export function seriesRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/api/series', async (req, res) => {
    parseQuery(req, z.strictObject({}));
    await foldRollups(ctx.pool);
    res.json({ series: await listSeries(ctx.pool) });
  });

  router.get('/api/stats/spc', async (req, res) => {
    const q = parseQuery(req, spcQuery);
    const labels: Partial<SeriesKey> = {};
    if (q.target !== undefined) labels.target = q.target;
    if (q.model !== undefined) labels.model = q.model;
    if (q.probe !== undefined) labels.probe = q.probe;
    const series = await resolveSeries(ctx, labels);
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
    if (from > to) throw badRequest('from', 'from: must not be later than to');
    const maxPoints = q.max_points ?? DEFAULT_MAX_POINTS;
    const query = { series, from, to, maxPoints };
    // The count and the long-range drawing read the minute rollups: what is queued is counted first.
    await foldRollups(ctx.pool);
    const total = await countSeriesPoints(ctx.pool, query);
    const downsampled = total > maxPoints;
    // Min and max per bucket: two points each, so the buckets fill max_points before the
    // violation points, which are kept on top of that.
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    const points = !downsampled
      ? await chartPoints(ctx.pool, query)
      : total > RAW_SCAN_LIMIT
        ? await rollupChartPoints(ctx.pool, query, buckets)
        : await downsampledChartPoints(ctx.pool, query, buckets);
    res.json({
      series,
      from,
      to,
      total_points: total,
      downsampled,
      points: points.map(chartPoint),
    });
  });

  return router;
}
