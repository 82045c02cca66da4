// The charted scale. Latency is right-skewed, so the collector charts ln(ms); limits are
// computed there and back-transformed for display.
import type { Transform } from './types.js';

/** Maps a value to the charted scale, refusing values the scale cannot hold. */
export function toChartScale(value: number, transform: Transform): number {
  if (!Number.isFinite(value)) throw new RangeError(`value ${value} is not a finite number`);
  if (transform === 'none') return value;
  if (value <= 0) throw new RangeError(`value ${value} cannot be log-transformed: it must be > 0`);
  return Math.log(value);
}

export function fromChartScale(value: number, transform: Transform): number {
  return transform === 'log' ? Math.exp(value) : value;
}

export function isTransform(value: unknown): value is Transform {
  return value === 'none' || value === 'log';
}
