import { z } from 'zod';
import type { ViolationFilter } from '../store/violationQueries.js';
import { booleanParam, labelParam, rulesParam, severitiesParam, timeParam } from './validation.js';

/** The filter parameters shared by listing, clearing and exporting violations. */
export const violationFilterShape = {
  rule: rulesParam.optional(),
  severity: severitiesParam.optional(),
  target: labelParam.optional(),
  model: labelParam.optional(),
  probe: labelParam.optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  acknowledged: booleanParam.optional(),
};

type FilterParams = z.output<z.ZodObject<typeof violationFilterShape>>;

export function fromNotAfterTo(q: { from?: Date | undefined; to?: Date | undefined }, ctx: z.RefinementCtx): void {
  if (q.from && q.to && q.from.getTime() > q.to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be later than to' });
  }
}

export const violationFilterQuery = z.strictObject(violationFilterShape).superRefine(fromNotAfterTo);

export function toViolationFilter(q: FilterParams): ViolationFilter {
  const filter: ViolationFilter = {};
  if (q.rule) filter.rules = q.rule;
  if (q.severity) filter.severities = q.severity;
  if (q.target !== undefined) filter.target = q.target;
  if (q.model !== undefined) filter.model = q.model;
  if (q.probe !== undefined) filter.probe = q.probe;
  if (q.from) filter.from = q.from;
  if (q.to) filter.to = q.to;
  if (q.acknowledged !== undefined) filter.acknowledged = q.acknowledged;
  return filter;
}
