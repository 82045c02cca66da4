// Average run length of a one-sided upper CUSUM by the Markov-chain approximation of Brook &
// Evans (Biometrika 59, 1972): the sum S_i = max(0, S_{i−1} + X_i − k) is discretised into N
// states on [0, h]; the transient part R of the transition matrix gives the ARL from S_0 = 0 as
// the first entry of (I − R)⁻¹·1. The input X is a normal N(mean, sd²) winsorised to [−clip, clip]
// (Hawkins, JQT 25, 1993), which is what the alert detector feeds the sum. See docs/spc.md
// "Alerting".
import { normalCdf } from './normal.js';

export interface CusumInput {
  /** Mean of the standardised input (0 in control). */
  mean: number;
  /** Standard deviation of the standardised input (1 in control). */
  sd: number;
  /** Winsorising bound: inputs beyond ±clip count as ±clip. Infinity for none. */
  clip: number;
}

export const IN_CONTROL: CusumInput = { mean: 0, sd: 1, clip: Infinity };

/** States of the chain. 60 keeps the ARL within ~1 % of the integral-equation value for h ≤ 8. */
const DEFAULT_STATES = 60;

/**
 * Working space for the chain, reused from call to call. A detector design evaluates ~5 000
 * chains; a fresh 13 KB typed array for each (memory outside V8's heap, returned only when
 * a collection finds it) made a collector whose series end Phase I together grow its RSS by
 * ~60 MB (docs/scaling.md, "Collector memory"). Every entry is written before it is read.
 */
const scratch = { matrix: new Float64Array(0), cdf: new Float64Array(0), x: new Float64Array(0) };

function scratchArray(name: keyof typeof scratch, length: number): Float64Array {
  if (scratch[name].length < length) scratch[name] = new Float64Array(length);
  return scratch[name];
}

/** P(X ≤ x) for the winsorised normal input. */
function inputCdf(x: number, input: CusumInput): number {
  if (x < -input.clip) return 0;
  if (x >= input.clip) return 1;
  return normalCdf((x - input.mean) / input.sd);
}

/** The in-control (or shifted) ARL of an upper CUSUM with reference k and decision interval h (σ units). */
export function cusumArl(k: number, h: number, input: CusumInput = IN_CONTROL, states = DEFAULT_STATES): number {
  if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`h must be a finite number > 0, got ${h}`);
  if (!Number.isFinite(k)) throw new RangeError(`k must be a finite number, got ${k}`);
  if (!(input.sd > 0)) throw new RangeError(`input sd must be > 0, got ${input.sd}`);
  const n = states;
  const w = (2 * h) / (2 * n - 1);
  // Row i of A = I − R, augmented with the right-hand side 1, solved by Gaussian elimination.
  const a = scratchArray('matrix', n * (n + 1));
  const cdf = scratchArray('cdf', 2 * n + 1); // F(k + (d + ½)w) for d = −n … n
  for (let d = -n; d <= n; d++) cdf[d + n] = inputCdf(k + (d + 0.5) * w, input);
  for (let i = 0; i < n; i++) {
    const row = i * (n + 1);
    // To state 0: S + X − k ≤ w/2, i.e. X ≤ k + (½ − i)w.
    a[row] = -cdf[-i + n]!;
    for (let j = 1; j < n; j++) a[row + j] = -(cdf[j - i + n]! - cdf[j - i - 1 + n]!);
    a[row + i] = a[row + i]! + 1;
    a[row + n] = 1;
  }
  return solveFirst(a, n);
}

/** x[0] of A·x = b for the augmented n × (n+1) matrix `a` (partial pivoting; `a` is consumed). */
function solveFirst(a: Float64Array, n: number): number {
  const stride = n + 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * stride + col]!) > Math.abs(a[pivot * stride + col]!)) pivot = r;
    if (pivot !== col) {
      for (let c = col; c <= n; c++) {
        const t = a[col * stride + c]!;
        a[col * stride + c] = a[pivot * stride + c]!;
        a[pivot * stride + c] = t;
      }
    }
    const p = a[col * stride + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = a[r * stride + col]! / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) a[r * stride + c] = a[r * stride + c]! - f * a[col * stride + c]!;
    }
  }
  const x = scratchArray('x', n);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r * stride + n]!;
    for (let c = r + 1; c < n; c++) s -= a[r * stride + c]! * x[c]!;
    x[r] = s / a[r * stride + r]!;
  }
  return x[0]!;
}

/**
 * ARL of the two-sided chart (an upper and a lower CUSUM side by side) by the approximation
 * 1/ARL = 1/ARL⁺ + 1/ARL⁻ (Lucas & Crosier, Technometrics 24, 1982; close when k is not small).
 */
export function twoSidedCusumArl(k: number, h: number, input: CusumInput = IN_CONTROL, states = DEFAULT_STATES): number {
  const upper = cusumArl(k, h, input, states);
  const lower = cusumArl(k, h, { ...input, mean: -input.mean }, states);
  return 1 / (1 / upper + 1 / lower);
}

/**
 * The decision interval h whose ARL equals `targetArl` (ARL grows monotonically with h). Solved on
 * ln ARL by bracketing and the Illinois variant of regula falsi, to a relative ARL error of 0.1 %.
 * `guess`, when given, is where the bracket starts (±25 % around it, widened until it holds the
 * root): a design solves 400 intervals of nearby draws, and starting at the last one's answer
 * halves the chains it evaluates.
 */
export function solveDecisionInterval(arlOf: (h: number) => number, targetArl: number, hMax = 200, guess?: number): number {
  if (!(targetArl > 1) || !Number.isFinite(targetArl)) throw new RangeError(`target ARL must be a finite number > 1, got ${targetArl}`);
  const goal = Math.log(targetArl);
  // At large h the chain's ARL leaves double precision (even turns negative): far past any target.
  const f = (h: number) => {
    const arl = arlOf(h);
    return arl > 0 && Number.isFinite(arl) ? Math.log(arl) - goal : Infinity;
  };
  const hMin = 0.05;
  let [lo, hi] =
    guess !== undefined && guess > hMin && guess < hMax ? [Math.max(hMin, guess / 1.25), Math.min(hMax, guess * 1.25)] : [hMin, 2];
  let flo = f(lo);
  while (flo >= 0) {
    if (lo <= hMin) return hMin;
    hi = lo;
    lo = Math.max(hMin, lo / 2);
    flo = f(lo);
  }
  let fhi = f(hi);
  while (fhi < 0) {
    if (hi >= hMax) throw new RangeError(`no decision interval up to h = ${hMax} reaches an ARL of ${targetArl}`);
    lo = hi;
    flo = fhi;
    hi = Math.min(hMax, hi * 2);
    fhi = f(hi);
  }
  let side = 0;
  for (let iteration = 0; iteration < 60; iteration++) {
    // An ARL beyond double range (a large h) has no usable slope: halve the bracket instead.
    const h = Number.isFinite(fhi) ? (lo * fhi - hi * flo) / (fhi - flo) : (lo + hi) / 2;
    const fh = f(h);
    if (Math.abs(fh) < 1e-3 || hi - lo < 1e-6) return h;
    if (fh < 0) {
      lo = h;
      flo = fh;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = h;
      fhi = fh;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}
