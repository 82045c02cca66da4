// A false-alarm budget in words ("at most 1 false critical a week") becomes the in-control
// average run length a detector must reach at the series' probe interval: the same budget holds
// whether a series is probed every second or every minute. See docs/alerting.md.

export const SECONDS_PER_DAY = 86_400;
export const SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY;

export interface AlertBudget {
  /** False critical alerts allowed per week of one series. */
  criticalPerWeek: number;
  /** False warning alerts allowed per day of one series. */
  warningPerDay: number;
}

export const DEFAULT_ALERT_BUDGET: AlertBudget = { criticalPerWeek: 1, warningPerDay: 1 };

/** In-control ARL (in probes) that allows `alarms` false alarms per `periodSeconds` at one probe per `intervalSeconds`. */
export function targetArl(periodSeconds: number, alarms: number, intervalSeconds: number): number {
  if (!(intervalSeconds > 0) || !Number.isFinite(intervalSeconds))
    throw new RangeError(`probe interval must be a finite number of seconds > 0, got ${intervalSeconds}`);
  if (!(alarms > 0) || !Number.isFinite(alarms)) throw new RangeError(`a false-alarm budget must be a finite number > 0, got ${alarms}`);
  // Below 2 probes per alarm no detector can be designed: every point would be an alarm.
  return Math.max(2, periodSeconds / intervalSeconds / alarms);
}

export function budgetArls(budget: AlertBudget, intervalSeconds: number): { critical: number; warning: number } {
  return {
    critical: targetArl(SECONDS_PER_WEEK, budget.criticalPerWeek, intervalSeconds),
    warning: targetArl(SECONDS_PER_DAY, budget.warningPerDay, intervalSeconds),
  };
}
