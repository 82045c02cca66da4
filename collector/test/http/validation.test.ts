import { describe, expect, it } from 'vitest';
import { durationParam, idParam, intParam, rulesParam, timeParam } from '../../src/http/validation.js';

describe('timeParam', () => {
  it.each([
    ['2026-01-01', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T10:00', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01 10:00:00', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T10:00:00+02:00', '2026-01-01T08:00:00.000Z'],
    ['2026-01-01T10:00:00.123Z', '2026-01-01T10:00:00.123Z'],
    ['2026-01-01T10:00:00-0500', '2026-01-01T15:00:00.000Z'],
    ['1767225600000', '2026-01-01T00:00:00.000Z'],
  ])('reads %s as %s (a time without a zone is UTC)', (input, iso) => {
    expect(timeParam.parse(input).toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-01-01T25:00Z',
    'yesterday',
    '-1',
    '1e12',
    '99999999999999999',
    '0x10',
    '',
    '2026-01-01T10:00:00 UTC',
  ])('rejects %j', (input) => {
    expect(timeParam.safeParse(input).success).toBe(false);
  });
});

describe('the other parameter readers', () => {
  it('reads whole numbers in range only', () => {
    const limit = intParam(1, 1000);
    expect(limit.parse('1000')).toBe(1000);
    for (const bad of ['0', '1001', '-1', '1.5', '1e3', ' 5', '0x10', '99999999999999999999'])
      expect(limit.safeParse(bad).success).toBe(false);
  });

  it('reads ids that fit a JavaScript number', () => {
    expect(idParam.parse('9007199254740991')).toBe(9007199254740991);
    for (const bad of ['0', '007', '-1', '9007199254740993', '12345678901234567', 'abc'])
      expect(idParam.safeParse(bad).success).toBe(false);
  });

  it('reads rule lists, deduplicated, and names an unknown rule', () => {
    expect(rulesParam.parse('R1, R5,R1,EWMA')).toEqual(['R1', 'R5', 'EWMA']);
    const bad = rulesParam.safeParse('R1,R9');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/unknown rule "R9"/);
  });

  it('reads windows up to 366 days', () => {
    expect(durationParam.parse('90s').ms).toBe(90_000);
    expect(durationParam.parse('7d').ms).toBe(7 * 86_400_000);
    for (const bad of ['0h', '1y', '367d', '1.5h', 'h', '-1h']) expect(durationParam.safeParse(bad).success).toBe(false);
  });
});
