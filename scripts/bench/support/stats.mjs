// Small numeric helpers shared by the benchmarks.

/** The q-quantile (0..1) of the values by nearest rank; NaN for none. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** A number with at most `digits` decimals and thousands separators. */
export function num(value, digits = 1) {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** "12.3×" for a ratio, or "—" when it cannot be computed. */
export function times(ratio, digits = 1) {
  return Number.isFinite(ratio) && ratio > 0 ? `${num(ratio, digits)}×` : '—';
}

/** A goal cell: the goal's words and whether this run met it. */
export function goal(text, met) {
  return `${text} ${met ? '(met)' : '(MISSED)'}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Logs a progress line on stderr (the table goes to stdout). */
export function progress(line) {
  process.stderr.write(`bench:   ${line}\n`);
}
