import { Router } from 'express';
import { z } from 'zod';
import { CONTEXT_POINTS } from '@llmscope/contract';
import { deviationFromStoredLimits, RULES } from '@llmscope/spc';
import { retainedRange } from '../../store/retentionQueries.js';
import { getSample, neighbouringSamples, type SampleDetail } from '../../store/seriesQueries.js';
import {
  acknowledgeViolation,
  deleteViolations,
  getViolation,
  listViolations,
  listViolationsWithTelemetry,
  type ViolationRow,
} from '../../store/violationQueries.js';
import type { ApiContext } from '../apiContext.js';
import { cursorParam, encodeCursor } from '../cursor.js';
import { notFound } from '../errors.js';
import { booleanParam, idParam, intParam, parseBody, parseQuery, parseWith } from '../validation.js';
import { fromNotAfterTo, toViolationFilter, violationFilterQuery, violationFilterShape } from '../violationFilter.js';
import { aroundCentre, loadViolationWindow } from '../../report/violationWindow.js';

const MAX_NOTE = 2000;

const listQuery = z
  .strictObject({
    ...violationFilterShape,
    limit: intParam(1, 1000).optional(),
    cursor: cursorParam.optional(),
    telemetry: booleanParam.optional(),
  })
  .superRefine(fromNotAfterTo);
const idParams = z.strictObject({ id: idParam });
const ackBody = z.strictObject({ note: z.string().max(MAX_NOTE, `must be at most ${MAX_NOTE} characters`).optional() });

const RULE_TEXT = new Map(RULES.map((r) => [r.id as string, r]));

/** The stored row plus the rule's name and text from @llmscope/spc, so clients need no copy of them. */
function describeViolation(v: ViolationRow) {
  const rule = RULE_TEXT.get(v.rule);
  return { ...v, rule_name: rule?.name ?? null, rule_description: rule?.description ?? null };
}

function contextRow(s: SampleDetail, offset: number, violationSampleId: number) {
  return {
    offset,
    id: s.id,
    ts: s.ts,
    latency_ms: s.latency_ms,
    deviation_sigma: deviationFromStoredLimits(s.latency_ms, s.spc_center, s.spc_ucl, s.spc_lcl),
    status: s.status,
    cold_start: s.cold_start,
    eval_count: s.eval_count,
    eval_duration_ms: s.eval_duration_ms,
    tokens_per_second: s.tokens_per_second,
    cpu_percent: s.cpu_percent,
    gpu_percent: s.gpu_percent,
    is_violation: s.id === violationSampleId,
  };
}

/**
 * Retention drops raw samples but keeps violations with their own telemetry (docs/scaling.md):
 * the context and window are then built from what is left, and `context_note` says so.
 */
function contextNote(
  v: ViolationRow,
  sampleKept: boolean,
  beforeCount: number,
  firstRaw: Date | null,
  olderRemoved: boolean,
): string | null {
  if (!sampleKept) {
    return olderRemoved || (firstRaw !== null && firstRaw > v.timestamp)
      ? 'the raw samples of this violation were removed by retention (retention.samples); its own stored telemetry remains'
      : null;
  }
  if (beforeCount < CONTEXT_POINTS && olderRemoved) {
    return `the context starts at the oldest raw sample still kept (${firstRaw?.toISOString()}): older samples were removed by retention (retention.samples)`;
  }
  return null;
}

async function violationDetail(ctx: ApiContext, v: ViolationRow) {
  const [sample, retained] = await Promise.all([getSample(ctx.pool, v.sample_id), retainedRange(ctx.pool, v)]);
  if (!sample) {
    const note = contextNote(v, false, 0, retained.firstRaw, retained.olderRemoved);
    return { violation: describeViolation(v), sample: null, context: [], window: null, context_note: note };
  }
  const [context, window] = await Promise.all([
    neighbouringSamples(ctx.pool, sample, CONTEXT_POINTS, false),
    loadViolationWindow(ctx.pool, sample),
  ]);
  return {
    violation: describeViolation(v),
    sample,
    context: aroundCentre(context.before, sample, context.after).map(({ item, offset }) => contextRow(item, offset, sample.id)),
    window,
    context_note: contextNote(v, true, context.before.length, retained.firstRaw, retained.olderRemoved),
  };
}

export function violationRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/api/violations', async (req, res) => {
    const q = parseQuery(req, listQuery);
    const list = q.telemetry ? listViolationsWithTelemetry : listViolations;
    const page = await list(ctx.pool, toViolationFilter(q), q.limit ?? 100, q.cursor);
    res.json({ violations: page.rows.map(describeViolation), next_cursor: page.next ? encodeCursor(page.next) : null });
  });

  router.delete('/api/violations', ctx.requireToken, async (req, res) => {
    const filter = toViolationFilter(parseQuery(req, violationFilterQuery));
    const deleted = await deleteViolations(ctx.pool, filter);
    ctx.logger.info({ deleted, filter }, 'violations cleared through the API');
    res.json({ deleted });
  });

  router.get('/api/violations/:id', async (req, res) => {
    parseQuery(req, z.strictObject({}));
    const { id } = parseWith(idParams, req.params, 'id');
    const violation = await getViolation(ctx.pool, id);
    if (!violation) throw notFound(`no violation with id ${id}`);
    res.json(await violationDetail(ctx, violation));
  });

  router.post('/api/violations/:id/ack', ctx.requireToken, async (req, res) => {
    parseQuery(req, z.strictObject({}));
    const { id } = parseWith(idParams, req.params, 'id');
    const { note } = parseBody(req, ackBody);
    const violation = await acknowledgeViolation(ctx.pool, id, note);
    if (!violation) throw notFound(`no violation with id ${id}`);
    res.json({ violation: describeViolation(violation) });
  });

  return router;
}
