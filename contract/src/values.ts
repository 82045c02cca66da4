// Closed vocabularies stored in text columns (their CHECK constraints are in migrations/).

/** Most severe first: this order sorts lists, picks a marker's colour and orders every breakdown. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** 0 for the most severe; sorting by it puts critical first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The most severe of `severities`, or null for none. */
export function mostSevere(severities: Iterable<Severity>): Severity | null {
  let best: Severity | null = null;
  for (const s of severities) if (best === null || severityRank(s) < severityRank(best)) best = s;
  return best;
}

/** How a probe ended: only `ok` samples are charted and enter limits. */
export const PROBE_STATUSES = ['ok', 'error', 'timeout'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

/**
 * How a stored sample ended: a probe status, or `suspect`, an ok reply measured while the
 * collector's own event loop lagged; stored and charted, never fed to SPC (docs/sql.md).
 */
export const SAMPLE_STATUSES = [...PROBE_STATUSES, 'suspect'] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

export const TRANSFORMS = ['none', 'log'] as const;
export const SIGMA_METHODS = ['mr', 'mmr', 'sd'] as const;
export const MODEL_EVENTS = ['load', 'evict', 'split_change'] as const;
export type ModelEventKind = (typeof MODEL_EVENTS)[number];
