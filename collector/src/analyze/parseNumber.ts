// Strict decimal parsing: Number() would accept '', '0x1f', 'Infinity' and ' 12 ', none of
// which is a latency a user meant to write.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a text holds, or null when it is not a plain finite decimal number. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Why a text is not a number parseDecimal accepts: "is too large" for 1e309, else "is not a number". */
export function numberProblem(text: string): string {
  return DECIMAL.test(text) ? 'is too large (beyond ±1.8e308)' : 'is not a number';
}
