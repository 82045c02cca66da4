// The zone and run rules written the way the definitions read: each looks back over the
// window that ends at point i. This is the reference the incremental evaluator is proven
// against, so clarity beats speed here.
//
// Shared semantics: "beyond" is strict (> / <); "within" is inclusive; a point exactly on the
// centre breaks a one-side run; a tie breaks a trend and an alternation. A point is flagged when
// it completes the pattern, so every later point stays flagged while the pattern continues.
import type { ZoneLines } from './zones.js';

type Series = ArrayLike<number>;

export function beyondControlLimits(z: Series, i: number, lines: ZoneLines): boolean {
  return z[i]! > lines.ucl || z[i]! < lines.lcl;
}

/** `length` points in a row strictly above, or strictly below, the centre. */
export function runOnOneSide(z: Series, i: number, length: number, center: number): boolean {
  if (i + 1 < length) return false;
  let above = true;
  let below = true;
  for (let j = i - length + 1; j <= i; j++) {
    above &&= z[j]! > center;
    below &&= z[j]! < center;
  }
  return above || below;
}

/** `length` points in a row each strictly greater (or each strictly smaller) than the one before. */
export function steadyTrend(z: Series, i: number, length: number): boolean {
  if (i + 1 < length) return false;
  let rising = true;
  let falling = true;
  for (let j = i - length + 2; j <= i; j++) {
    rising &&= z[j]! > z[j - 1]!;
    falling &&= z[j]! < z[j - 1]!;
  }
  return rising || falling;
}

/** `length` points in a row whose successive changes are all non-zero and alternate in sign. */
export function alternating(z: Series, i: number, length: number): boolean {
  if (i + 1 < length) return false;
  for (let j = i - length + 2; j <= i; j++) {
    const change = Math.sign(z[j]! - z[j - 1]!);
    if (change === 0) return false;
    if (j > i - length + 2 && change === Math.sign(z[j - 1]! - z[j - 2]!)) return false;
  }
  return true;
}

/**
 * At least `count` of the last `window` points (fewer at the start of the series) strictly beyond
 * `upper` — with point i itself beyond it — or the same below `lower`.
 */
export function countBeyondOnOneSide(z: Series, i: number, count: number, window: number, upper: number, lower: number): boolean {
  const from = Math.max(0, i - window + 1);
  if (z[i]! > upper) {
    let beyond = 0;
    for (let j = from; j <= i; j++) if (z[j]! > upper) beyond++;
    if (beyond >= count) return true;
  }
  if (z[i]! < lower) {
    let beyond = 0;
    for (let j = from; j <= i; j++) if (z[j]! < lower) beyond++;
    if (beyond >= count) return true;
  }
  return false;
}

/** `length` points in a row within ±1σ, edges included. */
export function hugsCenter(z: Series, i: number, length: number, lines: ZoneLines): boolean {
  if (i + 1 < length) return false;
  for (let j = i - length + 1; j <= i; j++) {
    if (z[j]! > lines.plus1 || z[j]! < lines.minus1) return false;
  }
  return true;
}

/** `length` points in a row strictly beyond ±1σ, with at least one on each side. */
export function avoidsCenter(z: Series, i: number, length: number, lines: ZoneLines): boolean {
  if (i + 1 < length) return false;
  let above = false;
  let below = false;
  for (let j = i - length + 1; j <= i; j++) {
    if (z[j]! > lines.plus1) above = true;
    else if (z[j]! < lines.minus1) below = true;
    else return false;
  }
  return above && below;
}
