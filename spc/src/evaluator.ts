// Incremental evaluation: one point at a time, O(1) work and no allocation per point, the
// same answers as evaluateRules. Every window rule is reduced to a counter or a short bit
// history, so the state is a handful of numbers that serialise to JSON.
import { WE4_RUN_LENGTH } from './constants.js';
import { cusumDesign } from './cusum.js';
import { ewmaDesign, ewmaOutside, type EwmaDesign } from './ewma.js';
import { resolveRuleConfig, type ResolvedRuleConfig } from './rules/config.js';
import { maskToRules, RULE_BIT } from './rules/ruleMask.js';
import { validateLimits } from './rules/validateLimits.js';
import { zoneLines } from './rules/zones.js';
import type { ControlLimits, RuleConfig, RuleId } from './types.js';

const STATE_VERSION = 1;

/** Counters of the series so far; see RuleEvaluator for what each one means. */
interface Counters {
  points: number;
  previous: number;
  aboveRun: number;
  belowRun: number;
  risingRun: number;
  fallingRun: number;
  alternationRun: number;
  lastChange: number;
  above2History: number;
  below2History: number;
  above1History: number;
  below1History: number;
  withinRun: number;
  beyondRun: number;
  lastAbove1: number;
  lastBelow1: number;
  ewma: number;
  cusumUpper: number;
  cusumLower: number;
}

/** JSON-serialisable state; numbers that JSON cannot hold (±Infinity, NaN) are stored as strings. */
export interface EvaluatorState {
  version: typeof STATE_VERSION;
  limits: ControlLimits;
  config: ResolvedRuleConfig;
  counters: Record<keyof Counters, number | string>;
}

/** Set bits of every 5-bit history (a lookup beats bit twiddling on the hot path). */
const BIT_COUNT = Uint8Array.from({ length: 32 }, (_, bits) => {
  let count = 0;
  for (let b = bits; b !== 0; b >>= 1) count += b & 1;
  return count;
});

export class RuleEvaluator {
  private readonly limits: ControlLimits;
  private readonly config: ResolvedRuleConfig;
  private readonly logScale: boolean;
  private readonly nelson: boolean;
  private readonly center: number;
  private readonly plus1: number;
  private readonly minus1: number;
  private readonly plus2: number;
  private readonly minus2: number;
  private readonly ucl: number;
  private readonly lcl: number;
  private readonly runR2: number;
  private readonly runR3Changes: number; // a trend of n points is n − 1 rises or falls
  private readonly runR4Changes: number;
  private readonly runR7: number;
  private readonly runR8: number;
  // EWMA and CUSUM designs unpacked into numbers for the hot loop.
  private readonly ewmaOn: boolean;
  private readonly ewmaDesign: EwmaDesign;
  private readonly ewmaLambda: number;
  private readonly ewmaKeep: number;
  private readonly ewmaStableFrom: number;
  private readonly ewmaUpper: number; // centre + asymptotic half-width
  private readonly ewmaLower: number;
  private readonly cusumOn: boolean;
  private readonly cusumUpperReference: number;
  private readonly cusumLowerReference: number;
  private readonly cusumDecision: number;

  // Scratch for pushMask, so a single point goes through the same loop as a bulk push.
  private readonly single = new Float64Array(1);
  private readonly singleMask = new Uint16Array(1);

  // Counters. Runs are lengths of the current streak ending at the last point.
  private points = 0; // points pushed so far
  private previous = Number.NaN; // last charted value; NaN before the first point compares as a tie
  private aboveRun = 0; // in a row strictly above the centre (R2, WE4)
  private belowRun = 0; // in a row strictly below
  private risingRun = 0; // consecutive strict rises (R3)
  private fallingRun = 0; // consecutive strict falls
  private alternationRun = 0; // consecutive non-zero changes alternating in sign (R4)
  private lastChange = 0; // sign of the last change (0 for a tie or no change yet)
  private above2History = 0; // bit j: the point j steps back was beyond +2σ (last 3 kept)
  private below2History = 0;
  private above1History = 0; // last 5 kept
  private below1History = 0;
  private withinRun = 0; // in a row within ±1σ inclusive (R7)
  private beyondRun = 0; // in a row strictly beyond ±1σ (R8)
  private lastAbove1 = 0; // 1-based position of the last point beyond +1σ (0: none)
  private lastBelow1 = 0;
  private ewma: number;
  private cusumUpper = 0;
  private cusumLower = 0;

  constructor(limits: ControlLimits, config?: RuleConfig) {
    validateLimits(limits);
    this.limits = { ...limits };
    this.config = resolveRuleConfig(config);
    this.logScale = limits.transform === 'log';
    this.nelson = this.config.preset === 'nelson';
    const lines = zoneLines(limits);
    this.center = lines.center;
    this.plus1 = lines.plus1;
    this.minus1 = lines.minus1;
    this.plus2 = lines.plus2;
    this.minus2 = lines.minus2;
    this.ucl = lines.ucl;
    this.lcl = lines.lcl;
    const runs = this.config.runLengths;
    this.runR2 = runs.R2;
    this.runR3Changes = runs.R3 - 1;
    this.runR4Changes = runs.R4 - 1;
    this.runR7 = runs.R7;
    this.runR8 = runs.R8;
    this.ewmaOn = this.config.ewma !== null;
    this.ewmaDesign = ewmaDesign(limits.center, limits.sigma, this.config.ewma ?? { lambda: 1, L: 1 });
    this.ewmaLambda = this.ewmaDesign.lambda;
    this.ewmaKeep = this.ewmaDesign.keep;
    this.ewmaStableFrom = this.ewmaDesign.stableFrom;
    this.ewmaUpper = limits.center + this.ewmaDesign.asymptoticHalfWidth;
    this.ewmaLower = limits.center - this.ewmaDesign.asymptoticHalfWidth;
    this.cusumOn = this.config.cusum !== null;
    const cusum = cusumDesign(limits.center, limits.sigma, this.config.cusum ?? { k: 0, h: 1 });
    this.cusumUpperReference = cusum.upperReference;
    this.cusumLowerReference = cusum.lowerReference;
    this.cusumDecision = cusum.decisionInterval;
    this.ewma = limits.center;
  }

  /** The rules that flag this point, in RULES order. */
  push(value: number): RuleId[] {
    const mask = this.pushMask(value);
    return mask === 0 ? [] : maskToRules(mask);
  }

  /**
   * The allocation-free form of push: the rules that flag this point as a bit mask
   * (bit i = RULES[i], see RULE_BIT; 0 when nothing fires). Throws RangeError for a value the
   * limits' scale cannot hold (non-finite, or <= 0 under 'log'); the state is then unchanged.
   */
  pushMask(value: number): number {
    this.single[0] = value;
    this.pushMany(this.single, this.singleMask);
    return this.singleMask[0]!;
  }

  /**
   * Pushes every value in order, exactly as that many pushMask calls would, and returns how many
   * points were flagged; with `masks` (at least values.length long) masks[i] receives the rule
   * mask of values[i]. This is the fast path for bulk work (replays, benchmarks): the state lives
   * in locals for the whole loop. A bad value throws RangeError naming its index; the points
   * before it are kept.
   */
  pushMany(values: ArrayLike<number>, masks?: Uint16Array | Uint32Array | Int32Array | number[]): number {
    if (masks !== undefined && masks.length < values.length) {
      throw new RangeError(`masks has room for ${masks.length} points, values has ${values.length}`);
    }
    const { center, plus1, minus1, plus2, minus2, ucl, lcl, nelson, logScale } = this;
    const { runR2, runR3Changes, runR4Changes, runR7, runR8 } = this;
    const { ewmaOn, ewmaLambda, ewmaKeep, ewmaStableFrom, ewmaUpper, ewmaLower } = this;
    const { cusumOn, cusumUpperReference, cusumLowerReference, cusumDecision } = this;
    let {
      points,
      previous,
      aboveRun,
      belowRun,
      risingRun,
      fallingRun,
      alternationRun,
      lastChange,
      above2History,
      below2History,
      above1History,
      below1History,
      withinRun,
      beyondRun,
      lastAbove1,
      lastBelow1,
      ewma,
      cusumUpper,
      cusumLower,
    } = this;
    let flagged = 0;
    let bad = -1; // index of a value the scale cannot hold; the loop stops there
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      let z: number;
      if (logScale) {
        if (!(value > 0 && value < Infinity)) {
          bad = i;
          break;
        }
        z = Math.log(value);
      } else {
        if (!(value > -Infinity && value < Infinity)) {
          bad = i;
          break;
        }
        z = value;
      }
      const n = ++points;
      // Updates are branch-free (comparisons as 0/1, masks as 0/−1): a point's side and direction
      // are coin flips on random data, and a mispredicted branch costs more than the arithmetic.
      // `0 - x` rather than `-x` keeps 0 a small integer (−0 would be a double).

      // One side of the centre (R2, WE4); a point on the centre breaks both runs.
      const above = +(z > center);
      const below = +(z < center);
      aboveRun = (aboveRun + 1) & (0 - above);
      belowRun = (belowRun + 1) & (0 - below);

      // Direction of change (R3, R4); a tie, or the first point (previous is NaN), breaks both.
      const rise = +(z > previous);
      const fall = +(z < previous);
      const change = rise - fall;
      risingRun = (risingRun + 1) & (0 - rise);
      fallingRun = (fallingRun + 1) & (0 - fall);
      alternationRun = (0 - (rise | fall)) & ((alternationRun & (0 - +(change + lastChange === 0))) + 1);
      lastChange = change;
      previous = z;

      // Zones (R5–R8, WE2, WE3).
      const above1 = +(z > plus1);
      const below1 = +(z < minus1);
      const above2 = +(z > plus2);
      const below2 = +(z < minus2);
      const beyond1 = above1 | below1;
      above2History = ((above2History << 1) | above2) & 0b111;
      below2History = ((below2History << 1) | below2) & 0b111;
      above1History = ((above1History << 1) | above1) & 0b11111;
      below1History = ((below1History << 1) | below1) & 0b11111;
      withinRun = (withinRun + 1) & (beyond1 - 1);
      beyondRun = (beyondRun + 1) & (0 - beyond1);
      lastAbove1 += (n - lastAbove1) & (0 - above1);
      lastBelow1 += (n - lastBelow1) & (0 - below1);

      const beyond3 = +(z > ucl) | +(z < lcl);
      const twoOfThree = (above2 & +(BIT_COUNT[above2History]! >= 2)) | (below2 & +(BIT_COUNT[below2History]! >= 2));
      const fourOfFive = (above1 & +(BIT_COUNT[above1History]! >= 4)) | (below1 & +(BIT_COUNT[below1History]! >= 4));
      const sideRun = +(aboveRun >= runR2) | +(belowRun >= runR2);

      let mask: number;
      if (nelson) {
        mask =
          (RULE_BIT.R1 & (0 - beyond3)) |
          (RULE_BIT.R2 & (0 - sideRun)) |
          (RULE_BIT.R3 & (0 - (+(risingRun >= runR3Changes) | +(fallingRun >= runR3Changes)))) |
          (RULE_BIT.R4 & (0 - +(alternationRun >= runR4Changes))) |
          (RULE_BIT.R5 & (0 - twoOfThree)) |
          (RULE_BIT.R6 & (0 - fourOfFive)) |
          (RULE_BIT.R7 & (0 - +(withinRun >= runR7))) |
          (RULE_BIT.R8 & (0 - (+(beyondRun >= runR8) & +(lastAbove1 > n - runR8) & +(lastBelow1 > n - runR8))));
      } else {
        mask =
          (RULE_BIT.WE1 & (0 - beyond3)) |
          (RULE_BIT.WE2 & (0 - twoOfThree)) |
          (RULE_BIT.WE3 & (0 - fourOfFive)) |
          (RULE_BIT.WE4 & (0 - (+(aboveRun >= WE4_RUN_LENGTH) | +(belowRun >= WE4_RUN_LENGTH))));
      }
      // EWMA and CUSUM repeat ewmaNext / ewmaOutside / cusum*Next expression for expression, so
      // the results are bit-identical to evaluateRules (the property test holds them to it).
      if (ewmaOn) {
        ewma = ewmaLambda * z + ewmaKeep * ewma;
        const outside = n >= ewmaStableFrom ? +(ewma > ewmaUpper) | +(ewma < ewmaLower) : +ewmaOutside(this.ewmaDesign, ewma, n);
        mask |= RULE_BIT.EWMA & (0 - outside);
      }
      if (cusumOn) {
        const upper = z - cusumUpperReference + cusumUpper;
        const lower = cusumLowerReference - z + cusumLower;
        cusumUpper = (upper + Math.abs(upper)) * 0.5; // max(0, upper) without a branch: see cusum.ts
        cusumLower = (lower + Math.abs(lower)) * 0.5;
        mask |= RULE_BIT.CUSUM & (0 - (+(cusumUpper > cusumDecision) | +(cusumLower > cusumDecision)));
      }
      flagged += +(mask !== 0);
      if (masks !== undefined) masks[i] = mask;
    }
    this.points = points;
    this.previous = previous;
    this.aboveRun = aboveRun;
    this.belowRun = belowRun;
    this.risingRun = risingRun;
    this.fallingRun = fallingRun;
    this.alternationRun = alternationRun;
    this.lastChange = lastChange;
    this.above2History = above2History;
    this.below2History = below2History;
    this.above1History = above1History;
    this.below1History = below1History;
    this.withinRun = withinRun;
    this.beyondRun = beyondRun;
    this.lastAbove1 = lastAbove1;
    this.lastBelow1 = lastBelow1;
    this.ewma = ewma;
    this.cusumUpper = cusumUpper;
    this.cusumLower = cusumLower;
    if (bad >= 0) {
      const value = values[bad];
      const reason = logScale
        ? `value ${value} cannot be log-transformed: it must be a finite number > 0`
        : `value ${value} is not a finite number`;
      throw new RangeError(values === this.single ? reason : `values[${bad}]: ${reason}`);
    }
    return flagged;
  }

  /** How many points this evaluator has seen. */
  get count(): number {
    return this.points;
  }

  snapshot(): EvaluatorState {
    const counters = {} as Record<keyof Counters, number | string>;
    const fields = this as unknown as Counters; // the counters are private fields of this class
    for (const key of COUNTER_KEYS) counters[key] = encodeNumber(fields[key]);
    return {
      version: STATE_VERSION,
      limits: { ...this.limits },
      config: structuredClone(this.config),
      counters,
    };
  }

  static restore(state: EvaluatorState): RuleEvaluator {
    if (state?.version !== STATE_VERSION) {
      throw new RangeError(`evaluator state version ${String(state?.version)} is not supported (expected ${STATE_VERSION})`);
    }
    const { preset, runLengths, ewma, cusum } = state.config;
    const evaluator = new RuleEvaluator(state.limits, { preset, runLengths, ewma: ewma ?? false, cusum: cusum ?? false });
    const fields = evaluator as unknown as Counters;
    for (const key of COUNTER_KEYS) fields[key] = decodeNumber(state.counters?.[key], key);
    return evaluator;
  }
}

const COUNTER_KEYS = [
  'points',
  'previous',
  'aboveRun',
  'belowRun',
  'risingRun',
  'fallingRun',
  'alternationRun',
  'lastChange',
  'above2History',
  'below2History',
  'above1History',
  'below1History',
  'withinRun',
  'beyondRun',
  'lastAbove1',
  'lastBelow1',
  'ewma',
  'cusumUpper',
  'cusumLower',
] as const satisfies readonly (keyof Counters)[];

function encodeNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function decodeNumber(value: number | string | undefined, key: string): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity' || value === '-Infinity' || value === 'NaN') return Number(value);
  throw new RangeError(`evaluator state: counters.${key} is missing or not a number`);
}
