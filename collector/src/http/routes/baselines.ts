import { Router } from 'express';
import { z } from 'zod';
import type { SeriesKey } from '../../store/seriesQueries.js';
import type { ApiContext } from '../apiContext.js';
import { labelParam, parseBody, parseQuery } from '../validation.js';

/** The series to re-baseline; labels left out match every series (an empty body resets all). */
const resetBody = z.strictObject({ target: labelParam.optional(), model: labelParam.optional(), probe: labelParam.optional() });

export function baselineRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.post('/api/baselines/reset', ctx.requireToken, async (req, res) => {
    parseQuery(req, z.strictObject({}));
    const body = parseBody(req, resetBody);
    const filter: Partial<SeriesKey> = {};
    if (body.target !== undefined) filter.target = body.target;
    if (body.model !== undefined) filter.model = body.model;
    if (body.probe !== undefined) filter.probe = body.probe;
    const reset = await ctx.pipeline.resetBaselines(filter);
    ctx.logger.info({ filter, reset }, 'baselines reset through the API');
    res.json({ reset });
  });

  return router;
}
