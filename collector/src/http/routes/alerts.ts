// GET /api/alerts: the alert episodes of one series in a time range (the viewer marks the chart
// with them, docs/api.md). POST /api/alerts: the receiving end of Grafana's (or Alertmanager's)
// webhook contact point (provisioning/alerting/contact-points.yaml). It changes nothing, so it
// needs no token; it writes one log line per alert so `docker compose logs collector` shows what fired.
import express, { Router } from 'express';
import { z } from 'zod';
import { alertsOverlapping } from '../../store/alertQueries.js';
import type { ApiContext } from '../apiContext.js';
import { labelParam, parseBody, parseQuery, timeParam } from '../validation.js';
import { fromNotAfterTo } from '../violationFilter.js';

/** Grafana groups alerts per notification; a few dozen alerts with their annotations fit. */
export const ALERT_BODY_LIMIT = '64kb';
const MAX_ALERTS = 200;
const MAX_TEXT = 4096;

const text = z.string().max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);
const stringMap = z.record(z.string().max(256), text);
const status = z.enum(['firing', 'resolved'], 'must be "firing" or "resolved"');

/*
 * Only the fields we log are checked; Grafana and Alertmanager add fields between versions
 * (values, dashboardURL, fingerprint, truncatedAlerts…), so the objects stay open.
 */
const alertSchema = z.looseObject({
  status,
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
});

const webhookSchema = z.looseObject({
  status: status.optional(),
  alerts: z.array(alertSchema).max(MAX_ALERTS, `at most ${MAX_ALERTS} alerts per notification`),
});

export type AlertWebhook = z.output<typeof webhookSchema>;

/** One alert as one line: what fired (or resolved), on which series, under which rule. */
export function describeAlert(alert: AlertWebhook['alerts'][number]) {
  const { labels, annotations } = alert;
  return {
    status: alert.status,
    alertname: labels.alertname ?? null,
    model: labels.model ?? null,
    probe: labels.probe ?? null,
    rule: labels.rule ?? null,
    summary: annotations.summary ?? null,
  };
}

const DEFAULT_RANGE_MS = 24 * 3_600_000;

/** One series, named in full: episodes of several series cannot be told apart on one chart. */
const listQuery = z
  .strictObject({
    target: labelParam,
    model: labelParam,
    probe: labelParam,
    from: timeParam.optional(),
    to: timeParam.optional(),
  })
  .superRefine(fromNotAfterTo);

export function alertRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/api/alerts', async (req, res) => {
    const q = parseQuery(req, listQuery);
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
    const alerts = await alertsOverlapping(ctx.pool, { target: q.target, model: q.model, probe: q.probe, from, to });
    res.json({ from: from.toISOString(), to: to.toISOString(), alerts });
  });

  // Its own parser, mounted before the API-wide 16 kB one, so the larger limit applies here only.
  router.post('/api/alerts', express.json({ limit: ALERT_BODY_LIMIT }), (req, res) => {
    parseQuery(req, z.strictObject({}));
    const body = parseBody(req, webhookSchema);
    for (const alert of body.alerts) {
      const fields = describeAlert(alert);
      ctx.logger.info(
        { alert: fields },
        `alert ${fields.status}: ${fields.alertname ?? '(no alertname)'} model=${fields.model ?? '-'} probe=${fields.probe ?? '-'} rule=${fields.rule ?? '-'}${fields.summary ? ` — ${fields.summary}` : ''}`,
      );
    }
    res.status(204).end();
  });

  return router;
}
