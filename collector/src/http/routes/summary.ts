import { Router } from 'express';
import { z } from 'zod';
import { SEVERITIES } from '@llmscope/contract';
import { RULES } from '@llmscope/spc';
import { summariseRollups } from '../../store/rollupSummaryQueries.js';
import { summariseSamples } from '../../store/seriesQueries.js';
import { countViolations, type ViolationFilter } from '../../store/violationQueries.js';
import type { ApiContext } from '../apiContext.js';
import { durationParam, labelParam, parseQuery } from '../validation.js';

/** Windows longer than this are summarised from the rollups, shorter ones from raw samples (docs/api.md). */
const RAW_WINDOW_MS = 6 * 3_600_000;

const summaryQuery = z.strictObject({
  window: durationParam.optional(),
  target: labelParam.optional(),
  model: labelParam.optional(),
  probe: labelParam.optional(),
});

/** Every severity and rule appears, zero included, so dashboards need no missing-key handling. */
function zeroed(keys: readonly string[], counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries([...keys.map((k) => [k, counts[k] ?? 0] as const), ...Object.entries(counts)]);
}

export function summaryRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/api/summary', async (req, res) => {
    const q = parseQuery(req, summaryQuery);
    const window = q.window ?? { text: '1h', ms: 3_600_000 };
    const to = new Date();
    const from = new Date(to.getTime() - window.ms);
    const labels = { target: q.target, model: q.model, probe: q.probe };
    const filter: ViolationFilter = { from, to };
    if (q.target !== undefined) filter.target = q.target;
    if (q.model !== undefined) filter.model = q.model;
    if (q.probe !== undefined) filter.probe = q.probe;
    const [violations, samples] = await Promise.all([
      countViolations(ctx.pool, filter),
      (window.ms > RAW_WINDOW_MS ? summariseRollups : summariseSamples)(ctx.pool, from, to, labels),
    ]);
    res.json({
      window: window.text,
      from,
      to,
      violations: {
        total: violations.total,
        by_severity: zeroed(SEVERITIES, violations.bySeverity),
        by_rule: zeroed(
          RULES.map((r) => r.id),
          violations.byRule,
        ),
      },
      probes: { ok: samples.ok, error: samples.error, timeout: samples.timeout },
      latency: { mean_ms: samples.mean_latency_ms, p95_ms: samples.p95_latency_ms },
      mean_tokens_per_second: samples.mean_tokens_per_second,
    });
  });

  return router;
}
