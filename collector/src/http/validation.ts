import type { Request } from 'express';
import { z } from 'zod';
import { isSeverity, SEVERITIES } from '@llmscope/contract';
import { isRuleId, RULE_IDS } from '@llmscope/spc';
import { badRequest } from './errors.js';

/*
 * Every query parameter arrives as an untrusted string (or an array when repeated, or an
 * object with the extended parser). Each schema here accepts exactly one string and turns
 * it into a typed value; anything else is a 400 that names the parameter.
 */

const MAX_TEXT = 256;
/** Years outside this range are typos, and Postgres timestamptz would reject or misread them. */
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31);
const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** A series label (target, model, probe): printable text, bounded. */
export const labelParam = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** Date.parse rolls 2026-02-30 over into March; a date that does not exist is a typo to report. */
function isCalendarDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A time without a zone means UTC, whatever the server's own zone (Date.parse would use local time). */
function asUtcIso(iso: string): string {
  const t = iso.replace(' ', 'T');
  return t.includes('T') && !/(Z|[+-]\d{2}(:?\d{2})?)$/.test(t.slice(10)) ? `${t}Z` : t;
}

/** ISO 8601 date-time, or epoch milliseconds as Grafana's `${__from}` gives them. */
export const timeParam = z.string().transform((s, ctx) => {
  let ms: number;
  if (/^\d{1,15}$/.test(s)) ms = Number(s);
  else if (ISO_8601.test(s) && isCalendarDate(s)) ms = Date.parse(asUtcIso(s));
  else ms = Number.NaN;
  if (!Number.isFinite(ms) || ms < MIN_TIME || ms > MAX_TIME) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time or epoch milliseconds between 1970 and 9999' });
    return z.NEVER;
  }
  return new Date(ms);
});

export function intParam(min: number, max: number) {
  return z.string().transform((s, ctx) => {
    const n = /^\d{1,9}$/.test(s) ? Number(s) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });
}

export const booleanParam = z.enum(['true', 'false'], 'must be true or false').transform((s) => s === 'true');

function listParam<T extends string>(what: string, allowed: (s: string) => s is T, max: number) {
  return z.string().transform((s, ctx) => {
    const items = [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      ),
    ];
    const unknown = items.filter((x) => !allowed(x));
    if (items.length === 0 || items.length > max || unknown.length > 0) {
      const detail = unknown.length > 0 ? `unknown ${what} ${JSON.stringify(unknown[0]!.slice(0, 40))}; ` : '';
      ctx.addIssue({ code: 'custom', message: `${detail}expected a comma-separated list of ${what}s` });
      return z.NEVER;
    }
    return items as T[];
  });
}

export const rulesParam = listParam('rule', isRuleId, RULE_IDS.length);
export const severitiesParam = listParam('severity', isSeverity, SEVERITIES.length);

/** A database id: a positive bigint that also fits a JavaScript number exactly. */
export const idParam = z.string().transform((s, ctx) => {
  const n = /^[1-9]\d{0,15}$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive whole number' });
    return z.NEVER;
  }
  return n;
});

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_WINDOW_MS = 366 * DURATION_UNITS_MS.d;

/** A window such as `90s`, `15m`, `1h`, `7d`, at most a year. */
export const durationParam = z.string().transform((s, ctx) => {
  const m = /^(\d{1,6})(s|m|h|d)$/.exec(s);
  const ms = m ? Number(m[1]) * DURATION_UNITS_MS[m[2] as keyof typeof DURATION_UNITS_MS] : Number.NaN;
  if (!(ms > 0 && ms <= MAX_WINDOW_MS)) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive duration like 15m, 1h or 7d, at most 366d' });
    return z.NEVER;
  }
  return { text: s, ms };
});

/** The name of the first parameter a zod error is about, so the client knows what to fix. */
function fieldOf(error: z.ZodError, fallback: string): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: fallback, message: 'invalid input' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? fallback;
    return { field: key, message: `unknown parameter ${JSON.stringify(key.slice(0, 40))}` };
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : fallback;
  return { field, message: `${field}: ${issue.message}` };
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, fallbackField: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const { field, message } = fieldOf(result.error, fallbackField);
    throw badRequest(field, message);
  }
  return result.data;
}

/** Validates `req.query` (a getter in express 5: the parsed copy is returned, not stored). */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseWith(schema, req.query, 'query');
}

/** Validates the JSON body; an absent body counts as `{}`. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const body: unknown = req.body === undefined ? {} : req.body;
  return parseWith(schema, body, 'body');
}
