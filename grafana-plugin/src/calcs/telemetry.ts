/** Ollama's generation speed: tokens produced per second of eval time. */
export function tokensPerSecond(evalCount: number | null, evalDurationMs: number | null): number | null {
  if (evalCount === null || evalDurationMs === null || evalDurationMs <= 0) {
    return null;
  }
  return evalCount / (evalDurationMs / 1000);
}

const DASH = '—';

/** Durations in the drawer: milliseconds with 3 decimals, as Ollama's ns allow. */
export function formatMs(value: number | null): string {
  return value === null ? DASH : `${value.toFixed(3)} ms`;
}

export function formatNumber(value: number | null, decimals = 0): string {
  return value === null ? DASH : value.toFixed(decimals);
}

export function formatPercent(value: number | null): string {
  return value === null ? DASH : `${value.toFixed(1)} %`;
}

export function formatSigma(value: number | null): string {
  if (value === null) {
    return DASH;
  }
  const sign = value > 0 ? '+' : '';
  return `${sign}${value.toFixed(2)} σ`;
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}
