// Batch evaluation: every rule checked at every point straight from its definition.
import { cusumDesign, cusumLowerNext, cusumSignals, cusumUpperNext } from '../cusum.js';
import { ewmaDesign, ewmaNext, ewmaOutside } from '../ewma.js';
import { WE4_RUN_LENGTH } from '../constants.js';
import { toChartScale } from '../transform.js';
import type { ControlLimits, RuleConfig, RuleHit, RuleId } from '../types.js';
import { resolveRuleConfig } from './config.js';
import { validateLimits } from './validateLimits.js';
import { alternating, avoidsCenter, beyondControlLimits, countBeyondOnOneSide, hugsCenter, runOnOneSide, steadyTrend } from './patterns.js';
import { zoneLines } from './zones.js';

type Check = readonly [RuleId, (i: number) => boolean];

/** Hits of every enabled rule, ordered by point then by rule (RULES order). Values are in original units. */
export function evaluateRules(values: readonly number[], limits: ControlLimits, config?: RuleConfig): RuleHit[] {
  validateLimits(limits);
  const rules = resolveRuleConfig(config);
  const z = values.map((value, index) => {
    try {
      return toChartScale(value, limits.transform);
    } catch (error) {
      throw new RangeError(`point ${index + 1}: ${(error as Error).message}`);
    }
  });
  const lines = zoneLines(limits);
  const { R2, R3, R4, R7, R8 } = rules.runLengths;
  const checks: Check[] =
    rules.preset === 'nelson'
      ? [
          ['R1', (i) => beyondControlLimits(z, i, lines)],
          ['R2', (i) => runOnOneSide(z, i, R2, lines.center)],
          ['R3', (i) => steadyTrend(z, i, R3)],
          ['R4', (i) => alternating(z, i, R4)],
          ['R5', (i) => countBeyondOnOneSide(z, i, 2, 3, lines.plus2, lines.minus2)],
          ['R6', (i) => countBeyondOnOneSide(z, i, 4, 5, lines.plus1, lines.minus1)],
          ['R7', (i) => hugsCenter(z, i, R7, lines)],
          ['R8', (i) => avoidsCenter(z, i, R8, lines)],
        ]
      : [
          ['WE1', (i) => beyondControlLimits(z, i, lines)],
          ['WE2', (i) => countBeyondOnOneSide(z, i, 2, 3, lines.plus2, lines.minus2)],
          ['WE3', (i) => countBeyondOnOneSide(z, i, 4, 5, lines.plus1, lines.minus1)],
          ['WE4', (i) => runOnOneSide(z, i, WE4_RUN_LENGTH, lines.center)],
        ];
  if (rules.ewma) {
    const design = ewmaDesign(limits.center, limits.sigma, rules.ewma);
    const outside = recursiveFlags(
      z,
      limits.center,
      (previous, value) => ewmaNext(design, previous, value),
      (statistic, i) => ewmaOutside(design, statistic, i + 1),
    );
    checks.push(['EWMA', (i) => outside[i]!]);
  }
  if (rules.cusum) {
    const design = cusumDesign(limits.center, limits.sigma, rules.cusum);
    const upper = recursiveStatistic(z, 0, (previous, value) => cusumUpperNext(design, previous, value));
    const lower = recursiveStatistic(z, 0, (previous, value) => cusumLowerNext(design, previous, value));
    checks.push(['CUSUM', (i) => cusumSignals(design, upper[i]!, lower[i]!)]);
  }
  const hits: RuleHit[] = [];
  for (let index = 0; index < z.length; index++) {
    for (const [rule, flags] of checks) if (flags(index)) hits.push({ index, rule });
  }
  return hits;
}

function recursiveStatistic(z: readonly number[], start: number, next: (previous: number, value: number) => number): number[] {
  const statistic: number[] = [];
  let previous = start;
  for (const value of z) statistic.push((previous = next(previous, value)));
  return statistic;
}

function recursiveFlags(
  z: readonly number[],
  start: number,
  next: (previous: number, value: number) => number,
  flag: (statistic: number, index: number) => boolean,
): boolean[] {
  return recursiveStatistic(z, start, next).map(flag);
}
