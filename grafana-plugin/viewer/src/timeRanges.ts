/** The viewer's time range: a span ending now (follows refreshes) or a fixed window (a zoom). */
export type ViewerRange = { kind: 'last'; ms: number } | { kind: 'fixed'; from: number; to: number };

export const RANGE_PRESETS: ReadonlyArray<{ label: string; ms: number }> = [
  { label: '5m', ms: 5 * 60_000 },
  { label: '15m', ms: 15 * 60_000 },
  { label: '1h', ms: 3_600_000 },
  { label: '6h', ms: 6 * 3_600_000 },
  { label: '24h', ms: 24 * 3_600_000 },
  { label: '7d', ms: 7 * 24 * 3_600_000 },
];

export const REFRESH_CHOICES: ReadonlyArray<{ label: string; ms: number }> = [
  { label: 'Off', ms: 0 },
  { label: '5s', ms: 5_000 },
  { label: '15s', ms: 15_000 },
  { label: '1m', ms: 60_000 },
];

/** Absolute bounds of a range at `now`. */
export function resolveRange(range: ViewerRange, now: number): { from: number; to: number } {
  return range.kind === 'last' ? { from: now - range.ms, to: now } : { from: range.from, to: range.to };
}

/** `7d`, or the fixed window as two ISO times, for the address bar. */
export function rangeToParam(range: ViewerRange): string {
  if (range.kind === 'last') {
    return RANGE_PRESETS.find((p) => p.ms === range.ms)?.label ?? `${range.ms}ms`;
  }
  return `${new Date(range.from).toISOString()}..${new Date(range.to).toISOString()}`;
}

/** Reads rangeToParam's text back; anything else gives the fallback. */
export function rangeFromParam(text: string | null, fallback: ViewerRange): ViewerRange {
  if (!text) {
    return fallback;
  }
  const preset = RANGE_PRESETS.find((p) => p.label === text);
  if (preset) {
    return { kind: 'last', ms: preset.ms };
  }
  const [from, to] = text.split('..').map((t) => Date.parse(t));
  return Number.isFinite(from) && Number.isFinite(to) && from < to ? { kind: 'fixed', from, to } : fallback;
}
