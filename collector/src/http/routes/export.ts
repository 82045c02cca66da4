import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { violationsCsv } from '../../export/violationsCsv.js';
import { writeViolationsPdf } from '../../export/violationsPdf.js';
import { getSample } from '../../store/seriesQueries.js';
import { countViolations, iterateViolationsWithTelemetry, type ViolationFilter } from '../../store/violationQueries.js';
import type { ApiContext } from '../apiContext.js';
import { parseQuery } from '../validation.js';
import { fromNotAfterTo, toViolationFilter, violationFilterShape } from '../violationFilter.js';
import { loadViolationWindow } from '../../report/violationWindow.js';

const exportQuery = z
  .strictObject({ ...violationFilterShape, format: z.enum(['csv', 'pdf'], 'must be csv or pdf') })
  .superRefine(fromNotAfterTo);

function describeFilter(f: ViolationFilter): string[] {
  const lines: string[] = [];
  if (f.rules) lines.push(`rule: ${f.rules.join(', ')}`);
  if (f.severities) lines.push(`severity: ${f.severities.join(', ')}`);
  if (f.target !== undefined) lines.push(`target: ${f.target}`);
  if (f.model !== undefined) lines.push(`model: ${f.model}`);
  if (f.probe !== undefined) lines.push(`probe: ${f.probe}`);
  if (f.from) lines.push(`from: ${f.from.toISOString()}`);
  if (f.to) lines.push(`to: ${f.to.toISOString()}`);
  if (f.acknowledged !== undefined) lines.push(`acknowledged: ${f.acknowledged}`);
  return lines;
}

function attachmentName(ext: string, at: Date): string {
  return `llmscope-violations-${at.toISOString().replace(/[:.]/g, '-')}.${ext}`;
}

/** A client that hangs up mid-download is not a server error. */
function isClientGone(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * Reads the first row before anything is sent, so a database failure still gets a proper
 * status (503) rather than a download cut off after its headers.
 */
async function primed<T>(rows: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

async function exportViolations(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const q = parseQuery(req, exportQuery);
  const filter = toViolationFilter(q);
  const now = new Date();
  if (q.format === 'csv') {
    const rows = await primed(iterateViolationsWithTelemetry(ctx.pool, filter));
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(attachmentName('csv', now));
    await pipeline(violationsCsv(rows), res);
    return;
  }
  const counts = await countViolations(ctx.pool, filter);
  res.set('Content-Type', 'application/pdf');
  res.attachment(attachmentName('pdf', now));
  await writeViolationsPdf(res, {
    filter: describeFilter(filter),
    counts,
    rows: iterateViolationsWithTelemetry(ctx.pool, filter, 200),
    generatedAt: now,
    async windowOf(v) {
      const sample = await getSample(ctx.pool, v.sample_id);
      return sample ? loadViolationWindow(ctx.pool, sample) : null;
    },
  });
}

export function exportRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/api/violations/export', async (req, res) => {
    try {
      await exportViolations(ctx, req, res);
    } catch (err) {
      if (!isClientGone(err)) throw err;
      ctx.logger.debug('violation export abandoned: the client closed the connection');
    }
  });

  return router;
}
