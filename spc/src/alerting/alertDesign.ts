// The thresholds of the latency alert detector for one series, from its budget, its minimum
// effect δ and its own Phase I estimate. Shifts up to 0.6δ are an indifference zone (Woodall, The
// Statistician 34, 1985): real latency wanders that much without anything worth a page, so the
// false-alarm budget must hold for a process sitting anywhere in it, not only at the baseline
// centre. The reference value k = 0.8δ lies midway between the indifference edge 0.6δ and δ
// (Page 1954; Hawkins & Olwell 1998, §1.4). The decision intervals h are chosen so that the
// detector built on *estimated* limits still keeps that ARL with probability 1 − α (Gandy &
// Kvaløy, Scand. J. Statistics 40, 2013: a parametric bootstrap of the Phase I estimate; ARLs by
// the Markov chain of Brook & Evans 1972). Everything depends only on (δ, m, ARL targets), so
// designs are cached. See docs/spc.md "Alerting".
import { estimateSigma, mean } from '../sigma.js';
import { cusumArl, solveDecisionInterval, type CusumInput } from './cusumArl.js';
import { seededNormal } from './normal.js';

export interface DetectorDesign {
  /** The minimum effect in σ units, rounded to K_STEP. */
  effect: number;
  /** Reference value in σ units: REFERENCE × the minimum effect. */
  k: number;
  /** Largest contribution one point makes to a sum above k (winsorising, σ units): two such points reach hCritical. */
  kappa: number;
  /** Upper-side decision interval for critical alerts (σ units). */
  hCritical: number;
  /** Two-sided decision interval for warnings (σ units). */
  hWarning: number;
  /** False when the noise is too large for the minimum effect: the intervals were capped at H_LIMIT. */
  budgetMet: boolean;
  /** ARL targets the intervals were solved for (probes). */
  arlCritical: number;
  arlWarning: number;
}

export interface DesignRequest {
  /** ln(1 + minimum effect) / σ̂: the smallest shift worth an alert, in σ̂ units. */
  effectSigmas: number;
  /** Points the Phase I estimate used. */
  baselinePoints: number;
  arlCritical: number;
  arlWarning: number;
}

/** The edge of the indifference zone, as a share of the minimum effect. */
export const INDIFFERENCE = 0.6;
/** k as a share of the minimum effect: midway between the indifference edge and the effect. */
export const REFERENCE = (1 + INDIFFERENCE) / 2;
/** The effect is rounded to this grid (σ units) so that series with nearly equal σ̂ share a cached design. */
export const K_STEP = 0.04;
/** Probability that the estimated chart falls short of its ARL target (Gandy & Kvaløy's α). */
export const GUARANTEE_ALPHA = 0.1;
/** Bootstrap draws of the Phase I estimate. */
export const BOOTSTRAP_DRAWS = 200;
/** Markov-chain states in the bootstrap (a coarser chain; the quantile needs ~2 % accuracy). */
const BOOTSTRAP_STATES = 40;
const BOOTSTRAP_SEED = 20130401;
/** Upper bound on the effect in σ units: beyond it every design catches the effect in two points anyway. */
const EFFECT_MAX = 12;
/**
 * The largest decision interval (σ units). A series this noisy for its minimum effect (σ of ln
 * latency above ~0.3 for +20 %) cannot meet its budget with any interval the chain can check; it
 * gets this one, and AlertModel.budgetMet says so.
 */
export const H_LIMIT = 60;

const cache = new Map<string, DetectorDesign>();

/**
 * The baseline size the bootstrap assumes: m rounded down to three significant bits (16–31 in
 * steps of 2, 32–63 in 4, 64–127 in 8, …), so it is at most 12.5 % smaller than m. Fewer
 * points mean more estimation error and a wider interval, so the design stays on the safe side
 * of the exact one; and series whose cleaning kept 93–99 of 100 points share 2 designs instead
 * of 7. A collector whose 1 000 series end Phase I together solved ~200 designs (~30 s of CPU)
 * before this, and its writer fell behind meanwhile (docs/scaling.md, "Collector memory").
 */
export function roundBaselinePoints(m: number): number {
  if (m < 16) return m;
  const step = 2 ** (Math.floor(Math.log2(m)) - 3);
  return Math.floor(m / step) * step;
}

export function roundEffect(effectSigmas: number): number {
  if (!(effectSigmas > 0) || !Number.isFinite(effectSigmas))
    throw new RangeError(`the minimum effect in σ units must be a finite number > 0, got ${effectSigmas}`);
  return Math.min(EFFECT_MAX, Math.max(K_STEP, Math.round(effectSigmas / K_STEP) * K_STEP));
}

/**
 * Winsorising bound above k (Hawkins, JQT 25, 1993): large enough that two extreme points reach
 * hCritical, so a ×2 step pages at its second probe, and bounded so that one spike cannot keep a
 * sum up for long. The ARLs are computed without it: clipping only removes upward mass beyond
 * k + kappa, which makes the in-control ARL longer, never shorter.
 */
function kappaFor(hCritical: number): number {
  return Math.max(3, 0.55 * hCritical);
}

function designKey(request: DesignRequest): string {
  const effect = roundEffect(request.effectSigmas);
  return `${effect.toFixed(2)}|${roundBaselinePoints(request.baselinePoints)}|${request.arlCritical.toPrecision(6)}|${request.arlWarning.toPrecision(6)}`;
}

/** Whether designDetector would answer this request from its cache, without computing. */
export function isDesignCached(request: DesignRequest): boolean {
  return cache.has(designKey(request));
}

/** The bootstrap-adjusted design (cached per effect, m and targets). */
export function designDetector(request: DesignRequest): DetectorDesign {
  const steps = designDetectorInSteps(request);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * designDetector one bootstrap draw per step (~0.35 ms of the ~0.07 s a design takes), so a caller
 * that must not hold its event loop that long (the collector) can run it in slices. The design
 * is cached when the last step returns it; a cached design is returned at the first step.
 */
export function* designDetectorInSteps(request: DesignRequest): Generator<void, DetectorDesign, void> {
  const effect = roundEffect(request.effectSigmas);
  if (!Number.isInteger(request.baselinePoints) || request.baselinePoints < 2)
    throw new RangeError(`the baseline must hold at least 2 points, got ${request.baselinePoints}`);
  const m = roundBaselinePoints(request.baselinePoints);
  const key = designKey(request);
  const cached = cache.get(key);
  if (cached) return cached;
  const quantile = (hs: number[]) => hs.sort((a, b) => a - b)[Math.min(hs.length - 1, Math.ceil((1 - GUARANTEE_ALPHA) * hs.length) - 1)]!;
  const critical: number[] = [];
  const warning: number[] = [];
  for (const { shift, scale } of bootstrapEstimates(m)) {
    // The bootstrap chart standardises with its own estimate, and the process sits at the edge of
    // the indifference zone: z* ~ N((shift + 0.6δ)/scale, 1/scale²); its k is 0.8δ/scale.
    const kDraw = (REFERENCE * effect) / scale;
    const upper: CusumInput = { mean: (shift + INDIFFERENCE * effect) / scale, sd: 1 / scale, clip: Infinity };
    const arlOf = (h: number) => cusumArl(kDraw, h, upper, BOOTSTRAP_STATES);
    critical.push(intervalOrLimit(arlOf, request.arlCritical, critical.at(-1)));
    warning.push(intervalOrLimit(arlOf, request.arlWarning, warning.at(-1)));
    yield;
  }
  const hCritical = Math.min(H_LIMIT, quantile(critical));
  const hWarning = Math.min(H_LIMIT, quantile(warning));
  const design: DetectorDesign = {
    effect,
    k: REFERENCE * effect,
    kappa: kappaFor(hCritical),
    hCritical,
    hWarning,
    budgetMet: hCritical < H_LIMIT && hWarning < H_LIMIT,
    arlCritical: request.arlCritical,
    arlWarning: request.arlWarning,
  };
  // Another caller may have finished the same design while this one was between steps.
  const first = cache.get(key);
  if (first) return first;
  cache.set(key, design);
  return design;
}

/**
 * A bootstrap draw whose estimate is so poor that its k lies inside the indifference zone has
 * no finite h; it counts as needing the largest interval, H_LIMIT.
 */
function intervalOrLimit(arlOf: (h: number) => number, target: number, guess: number | undefined): number {
  try {
    return solveDecisionInterval(arlOf, target, H_LIMIT, guess);
  } catch {
    return H_LIMIT;
  }
}

/** The design with exactly known limits (no estimation error): the plain Brook–Evans solution. */
export function designKnownLimits(request: Omit<DesignRequest, 'baselinePoints'>): DetectorDesign {
  const effect = roundEffect(request.effectSigmas);
  const k = REFERENCE * effect;
  const input: CusumInput = { mean: INDIFFERENCE * effect, sd: 1, clip: Infinity };
  const hCritical = solveDecisionInterval((h) => cusumArl(k, h, input), request.arlCritical);
  return {
    effect,
    k,
    kappa: kappaFor(hCritical),
    hCritical,
    hWarning: solveDecisionInterval((h) => cusumArl(k, h, input), request.arlWarning),
    budgetMet: true,
    arlCritical: request.arlCritical,
    arlWarning: request.arlWarning,
  };
}

/**
 * Phase I estimates of a standard normal baseline of m points, made the way the detector makes
 * them (mean and mean moving range of the points within the first-pass 3σ limits): the shift of
 * the centre is (true − estimated) / true σ and the scale is estimated σ / true σ.
 */
function* bootstrapEstimates(m: number): Generator<{ shift: number; scale: number }> {
  const normal = seededNormal(BOOTSTRAP_SEED + m);
  const values = new Float64Array(m);
  for (let b = 0; b < BOOTSTRAP_DRAWS; b++) {
    for (let i = 0; i < m; i++) values[i] = normal();
    const { center, sigma } = robustBaseline(values);
    yield { shift: -center, scale: sigma };
  }
}

/** Centre and σ (mean moving range) of the baseline after dropping points beyond 3σ once. */
export function robustBaseline(values: ArrayLike<number>): { center: number; sigma: number; kept: number } {
  const center0 = mean(values);
  const sigma0 = estimateSigma(values, 'mr');
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > center0 + 3 * sigma0 || v < center0 - 3 * sigma0)) kept.push(v);
  }
  if (kept.length === values.length || kept.length < 2) return { center: center0, sigma: sigma0, kept: values.length };
  return { center: mean(kept), sigma: estimateSigma(kept, 'mr'), kept: kept.length };
}
