// Limits reach the evaluators from estimateLimits, from JSON snapshots and from users; a NaN
// here would silently switch every rule off, so it fails loudly instead.
import { isTransform } from '../transform.js';
import type { ControlLimits } from '../types.js';

export function validateLimits(limits: ControlLimits): void {
  for (const key of ['center', 'sigma', 'ucl', 'lcl'] as const) {
    if (!Number.isFinite(limits[key])) throw new RangeError(`limits.${key} must be a finite number, got ${limits[key]}`);
  }
  if (limits.sigma < 0) throw new RangeError(`limits.sigma must be >= 0, got ${limits.sigma}`);
  if (!isTransform(limits.transform)) throw new RangeError(`limits.transform must be none or log, got ${String(limits.transform)}`);
}
