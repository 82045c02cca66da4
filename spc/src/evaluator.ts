// Incremental evaluation: one point at a time, O(1) work and no allocation per point, the
// same answers as evaluateRules. Every window rule is reduced to a counter or a short bit
// history, so the state is a handful of numbers that serialise to JSON.
import { WE4_RUN_LENGTH } from './constants.js';
import { cusumDesign, cusumLowerNext, cusumSignals, cusumUpperNext, type CusumDesign } from './cusum.js';
import { ewmaDesign, ewmaNext, ewmaOutside, type EwmaDesign } from './ewma.js';
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
  sideRun: number;
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
  private readonly ewmaDesign: EwmaDesign | null;
  private readonly cusumDesign: CusumDesign | null;

  // Counters (see Counters). Runs are lengths of the current streak ending at the last point.
  private points = 0; // points pushed so far
  private previous = 0; // last charted value (meaningless while points = 0)
  private sideRun = 0; // +n: n in a row above the centre, −n: below, 0: last point on the centre
  private risingRun = 0; // consecutive strict rises
  private fallingRun = 0; // consecutive strict falls
  private alternationRun = 0; // consecutive non-zero changes alternating in sign
  private lastChange = 0; // sign of the last change (0 for a tie or no change yet)
  private above2History = 0; // bit j: the point j steps back was beyond +2σ (last 3 kept)
  private below2History = 0;
  private above1History = 0; // last 5 kept
  private below1History = 0;
  private withinRun = 0; // in a row within ±1σ inclusive
  private beyondRun = 0; // in a row strictly beyond ±1σ
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
    this.ewmaDesign = this.config.ewma ? ewmaDesign(limits.center, limits.sigma, this.config.ewma) : null;
    this.cusumDesign = this.config.cusum ? cusumDesign(limits.center, limits.sigma, this.config.cusum) : null;
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
    let z: number;
    if (this.logScale) {
      if (!(value > 0 && value < Infinity)) throw new RangeError(`value ${value} cannot be log-transformed: it must be a finite number > 0`);
      z = Math.log(value);
    } else {
      if (!(value > -Infinity && value < Infinity)) throw new RangeError(`value ${value} is not a finite number`);
      z = value;
    }
    const n = ++this.points;

    // One side of the centre (R2, WE4); a point on the centre breaks the run.
    if (z > this.center) this.sideRun = this.sideRun > 0 ? this.sideRun + 1 : 1;
    else if (z < this.center) this.sideRun = this.sideRun < 0 ? this.sideRun - 1 : -1;
    else this.sideRun = 0;

    // Direction of change (R3, R4); a tie breaks both.
    let change = 0;
    if (n > 1) change = z > this.previous ? 1 : z < this.previous ? -1 : 0;
    this.risingRun = change > 0 ? this.risingRun + 1 : 0;
    this.fallingRun = change < 0 ? this.fallingRun + 1 : 0;
    this.alternationRun = change === 0 ? 0 : change === -this.lastChange ? this.alternationRun + 1 : 1;
    this.lastChange = change;
    this.previous = z;

    // Zones (R5–R8, WE2, WE3).
    const above1 = z > this.plus1;
    const below1 = z < this.minus1;
    const above2 = z > this.plus2;
    const below2 = z < this.minus2;
    this.above2History = ((this.above2History << 1) | (above2 ? 1 : 0)) & 0b111;
    this.below2History = ((this.below2History << 1) | (below2 ? 1 : 0)) & 0b111;
    this.above1History = ((this.above1History << 1) | (above1 ? 1 : 0)) & 0b11111;
    this.below1History = ((this.below1History << 1) | (below1 ? 1 : 0)) & 0b11111;
    if (above1 || below1) {
      this.withinRun = 0;
      this.beyondRun++;
      if (above1) this.lastAbove1 = n;
      else this.lastBelow1 = n;
    } else {
      this.withinRun++;
      this.beyondRun = 0;
    }

    const beyond3 = z > this.ucl || z < this.lcl;
    const twoOfThree = (above2 && bitCount(this.above2History) >= 2) || (below2 && bitCount(this.below2History) >= 2);
    const fourOfFive = (above1 && bitCount(this.above1History) >= 4) || (below1 && bitCount(this.below1History) >= 4);
    const side = this.sideRun < 0 ? -this.sideRun : this.sideRun;

    let mask = 0;
    if (this.nelson) {
      if (beyond3) mask |= RULE_BIT.R1;
      if (side >= this.runR2) mask |= RULE_BIT.R2;
      if (this.risingRun >= this.runR3Changes || this.fallingRun >= this.runR3Changes) mask |= RULE_BIT.R3;
      if (this.alternationRun >= this.runR4Changes) mask |= RULE_BIT.R4;
      if (twoOfThree) mask |= RULE_BIT.R5;
      if (fourOfFive) mask |= RULE_BIT.R6;
      if (this.withinRun >= this.runR7) mask |= RULE_BIT.R7;
      if (this.beyondRun >= this.runR8 && this.lastAbove1 > n - this.runR8 && this.lastBelow1 > n - this.runR8) mask |= RULE_BIT.R8;
    } else {
      if (beyond3) mask |= RULE_BIT.WE1;
      if (twoOfThree) mask |= RULE_BIT.WE2;
      if (fourOfFive) mask |= RULE_BIT.WE3;
      if (side >= WE4_RUN_LENGTH) mask |= RULE_BIT.WE4;
    }
    if (this.ewmaDesign !== null) {
      this.ewma = ewmaNext(this.ewmaDesign, this.ewma, z);
      if (ewmaOutside(this.ewmaDesign, this.ewma, n)) mask |= RULE_BIT.EWMA;
    }
    if (this.cusumDesign !== null) {
      this.cusumUpper = cusumUpperNext(this.cusumDesign, this.cusumUpper, z);
      this.cusumLower = cusumLowerNext(this.cusumDesign, this.cusumLower, z);
      if (cusumSignals(this.cusumDesign, this.cusumUpper, this.cusumLower)) mask |= RULE_BIT.CUSUM;
    }
    return mask;
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
  'points', 'previous', 'sideRun', 'risingRun', 'fallingRun', 'alternationRun', 'lastChange',
  'above2History', 'below2History', 'above1History', 'below1History', 'withinRun', 'beyondRun',
  'lastAbove1', 'lastBelow1', 'ewma', 'cusumUpper', 'cusumLower',
] as const satisfies readonly (keyof Counters)[];

/** Set bits of a history of at most 5 bits. */
function bitCount(bits: number): number {
  return (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1) + ((bits >> 3) & 1) + ((bits >> 4) & 1);
}

function encodeNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function decodeNumber(value: number | string | undefined, key: string): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity' || value === '-Infinity' || value === 'NaN') return Number(value);
  throw new RangeError(`evaluator state: counters.${key} is missing or not a number`);
}
