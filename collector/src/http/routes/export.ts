import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ExportsBusy } from '../../export/exportRunner.js';
import type { ViolationFilter } from '../../store/violationQueries.js';
import type { ApiContext } from '../apiContext.js';
import { HttpError } from '../errors.js';
import { parseQuery } from '../validation.js';
import { fromNotAfterTo, toViolationFilter, violationFilterShape } from '../violationFilter.js';

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

/** The rows are read and rendered by a worker thread (export/exportRunner.ts); this thread only relays bytes. */
async function exportViolations(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const q = parseQuery(req, exportQuery);
  const filter = toViolationFilter(q);
  const now = new Date();
  let bytes;
  try {
    bytes = await ctx.exports.start({ format: q.format, filter, filterLines: describeFilter(filter), generatedAt: now });
  } catch (err) {
    if (!(err instanceof ExportsBusy)) throw err;
    res.set('Retry-After', '5');
    throw new HttpError(429, err.message);
  }
  res.set('Content-Type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf');
  res.attachment(attachmentName(q.format, now));
  await pipeline(bytes, res);
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
