import { formatMs, formatSigma, tokensPerSecond } from './telemetry';

describe('tokensPerSecond', () => {
  it('is eval_count / (eval_duration_ms / 1000)', () => {
    expect(tokensPerSecond(50, 1250)).toBe(40);
    expect(tokensPerSecond(7, 333)).toBeCloseTo(21.021021, 5);
  });

  it('is unknown without a positive eval duration', () => {
    expect(tokensPerSecond(50, 0)).toBeNull();
    expect(tokensPerSecond(null, 1000)).toBeNull();
    expect(tokensPerSecond(50, null)).toBeNull();
  });
});

describe('formatting', () => {
  it('prints durations in ms with 3 decimals', () => {
    expect(formatMs(512.0625)).toBe('512.063 ms');
    expect(formatMs(0)).toBe('0.000 ms');
    expect(formatMs(null)).toBe('—');
  });

  it('signs deviations', () => {
    expect(formatSigma(3.456)).toBe('+3.46 σ');
    expect(formatSigma(-1)).toBe('-1.00 σ');
  });
});
