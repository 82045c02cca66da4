import { describe, expect, it } from 'vitest';
import { budgetArls, targetArl, SECONDS_PER_WEEK } from './budget.js';

describe('false-alarm budget', () => {
  it('one false alarm a week at a 15 s cadence is an in-control ARL of 40 320 probes', () => {
    expect(targetArl(SECONDS_PER_WEEK, 1, 15)).toBe(40_320);
  });

  it('the same budget asks for a longer ARL at a faster cadence', () => {
    const slow = budgetArls({ criticalPerWeek: 1, warningPerDay: 1 }, 60);
    const fast = budgetArls({ criticalPerWeek: 1, warningPerDay: 1 }, 1);
    expect(slow).toEqual({ critical: 10_080, warning: 1_440 });
    expect(fast).toEqual({ critical: 604_800, warning: 86_400 });
  });

  it('refuses a budget or an interval that is not positive', () => {
    expect(() => targetArl(SECONDS_PER_WEEK, 0, 15)).toThrow(/budget/);
    expect(() => targetArl(SECONDS_PER_WEEK, 1, 0)).toThrow(/probe interval/);
  });
});
