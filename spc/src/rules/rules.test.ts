// Each rule on hand-made vectors, against limits centre 0, σ 1 (lines at ±1, ±2, ±3), so every
// expected index can be checked by eye. `flagged` also asserts batch == incremental.
import { describe, expect, it } from 'vitest';
import { flagged } from '../../test/evaluateBoth.js';
import { knownLimits } from '../limits.js';
import { evaluateRules } from './evaluateRules.js';

const unit = knownLimits(0, 1);
const repeat = (value: number, times: number): number[] => Array(times).fill(value);

describe('R1: one point beyond 3σ', () => {
  it('is strict: a point exactly on a limit is not beyond', () => {
    expect(flagged('R1', [0, 3, 3.0001, -3, -3.5, 2.9], unit)).toEqual([2, 4]);
  });
});

describe('R2: nine in a row on one side', () => {
  it('flags the ninth point and every following one while the run lasts', () => {
    expect(flagged('R2', [...repeat(0.5, 11), -0.5], unit)).toEqual([8, 9, 10]);
  });
  it('a point exactly on the centre breaks the run', () => {
    expect(flagged('R2', [...repeat(0.5, 8), 0, ...repeat(0.5, 8)], unit)).toEqual([]);
    expect(flagged('R2', [...repeat(-0.2, 4), 0, ...repeat(-0.2, 9)], unit)).toEqual([13]);
  });
  it('uses the configured run length', () => {
    expect(flagged('R2', repeat(0.1, 7), unit, { runLengths: { R2: 7 } })).toEqual([6]);
  });
});

describe('R3: six in a row steadily increasing or decreasing', () => {
  it('needs five strict rises (six points)', () => {
    expect(flagged('R3', [0.1, 0.2, 0.3, 0.4, 0.5], unit)).toEqual([]);
    expect(flagged('R3', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], unit)).toEqual([5, 6]);
    expect(flagged('R3', [0.5, 0.4, 0.3, 0.2, 0.1, 0, -0.1, 0.5], unit)).toEqual([5, 6]);
  });
  it('a tie breaks the trend', () => {
    expect(flagged('R3', [0.1, 0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7], unit)).toEqual([]);
    expect(flagged('R3', [0.1, 0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], unit)).toEqual([8]);
  });
});

describe('R4: fourteen in a row alternating up and down', () => {
  const zigzag = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 2 ? -0.3 : 0.3));
  it('flags the fourteenth point and those that continue the alternation', () => {
    expect(flagged('R4', zigzag(13), unit)).toEqual([]);
    expect(flagged('R4', zigzag(16), unit)).toEqual([13, 14, 15]);
  });
  it('needs strict up/down: a tie or two moves the same way break it', () => {
    expect(flagged('R4', [...zigzag(7), 0.3, ...zigzag(7).map((v) => -v)], unit)).toEqual([]); // tie at index 7
    const twoDown = [...zigzag(8), -0.5, ...zigzag(6).map((v) => -v)]; // 0.3, -0.3 ..., -0.3, -0.5, ...
    expect(flagged('R4', twoDown, unit)).toEqual([]);
  });
});

describe('R5: two of three beyond 2σ on the same side', () => {
  it('flags a point that is itself beyond 2σ and makes two of the last three', () => {
    expect(flagged('R5', [2.5, 0, 2.5], unit)).toEqual([2]);
    expect(flagged('R5', [2.5, 2.5], unit)).toEqual([1]);
    expect(flagged('R5', [-2.1, 1, -2.9, -2.2], unit)).toEqual([2, 3]);
  });
  it('does not flag the third point when it is not beyond the line itself', () => {
    expect(flagged('R5', [2.5, 2.1, 1.5], unit)).toEqual([1]);
  });
  it('needs the same side, a strict "beyond" and a window of three', () => {
    expect(flagged('R5', [2.5, -2.5, 0], unit)).toEqual([]);
    expect(flagged('R5', [2, 2, 2], unit)).toEqual([]);
    expect(flagged('R5', [2.5, 0, 0, 2.5], unit)).toEqual([]);
  });
});

describe('R6: four of five beyond 1σ on the same side', () => {
  it('flags a point beyond 1σ that makes four of the last five', () => {
    expect(flagged('R6', [1.5, 1.5, 0, 1.5, 1.5], unit)).toEqual([4]);
    expect(flagged('R6', [1.5, 1.5, 1.5, 1.5, 0.5, 1.2], unit)).toEqual([3, 5]);
    expect(flagged('R6', [-1.1, -1.2, -1.3, 0, -1.4], unit)).toEqual([4]);
  });
  it('is strict and one-sided', () => {
    expect(flagged('R6', [1, 1, 1, 1, 1], unit)).toEqual([]);
    expect(flagged('R6', [1.5, -1.5, 1.5, -1.5, 1.5], unit)).toEqual([]);
  });
});

describe('R7: fifteen in a row within 1σ', () => {
  it('is inclusive: points exactly on ±1σ count as within', () => {
    const hugging = [1, -1, 0, 0.5, -0.5, 1, -1, 0, 0.2, -0.2, 0.9, -0.9, 0, 1, -1, 0.3];
    expect(flagged('R7', hugging, unit)).toEqual([14, 15]);
  });
  it('a point beyond 1σ breaks the run', () => {
    expect(flagged('R7', [...repeat(0.5, 14), 1.01, ...repeat(0.5, 14)], unit)).toEqual([]);
  });
});

describe('R8: eight in a row beyond 1σ with points on both sides', () => {
  it('flags the eighth point when both sides are present', () => {
    const mixture = [1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.2];
    expect(flagged('R8', mixture, unit)).toEqual([7, 8]);
    expect(flagged('R8', [...repeat(1.5, 7), -1.5], unit)).toEqual([7]);
  });
  it('needs both sides within the eight', () => {
    expect(flagged('R8', repeat(1.5, 10), unit)).toEqual([]);
    // The only low point leaves the window of the last eight at index 8.
    expect(flagged('R8', [-1.5, ...repeat(1.5, 8)], unit)).toEqual([7]);
  });
  it('a point exactly on ±1σ breaks the run', () => {
    expect(flagged('R8', [1.5, -1.5, 1.5, -1.5, 1, 1.5, -1.5, 1.5, -1.5], unit)).toEqual([]);
  });
});

describe('Western Electric preset', () => {
  const we = { preset: 'western-electric' } as const;
  it('WE1 beyond 3σ, WE2 2 of 3 beyond 2σ, WE3 4 of 5 beyond 1σ, WE4 8 in a row one side', () => {
    expect(flagged('WE1', [0, 3.5, -3], unit, we)).toEqual([1]);
    expect(flagged('WE2', [2.5, 0, 2.5], unit, we)).toEqual([2]);
    expect(flagged('WE3', [1.5, 1.5, 0, 1.5, 1.5], unit, we)).toEqual([4]);
    expect(flagged('WE4', [...repeat(0.4, 7), 0, ...repeat(0.4, 9)], unit, we)).toEqual([15, 16]);
  });
  it('reports only WE rules', () => {
    const rules = new Set(evaluateRules([...repeat(3.5, 20)], unit, we).map((hit) => hit.rule));
    expect([...rules].sort()).toEqual(['WE1', 'WE2', 'WE3', 'WE4']);
  });
});

describe('hits are ordered by point, then by rule', () => {
  it('lists every rule of a point in RULES order', () => {
    const hits = evaluateRules([...repeat(2.5, 8), 3.5], unit);
    expect(hits.filter((hit) => hit.index === 8).map((hit) => hit.rule)).toEqual(['R1', 'R2', 'R5', 'R6']);
    expect(hits.map((hit) => hit.index)).toEqual([...hits.map((hit) => hit.index)].sort((a, b) => a - b));
  });
});

describe('bad configuration', () => {
  it('names the option', () => {
    expect(() => evaluateRules([1], unit, { runLengths: { R4: 2 } })).toThrow(/runLengths.R4 must be an integer >= 3/);
    expect(() => evaluateRules([1], unit, { runLengths: { R5: 3 } as never })).toThrow(/runLengths.R5/);
    expect(() => evaluateRules([1], unit, { preset: 'iso' as never })).toThrow(/nelson or western-electric/);
    expect(() => evaluateRules([1], unit, { ewma: { lambda: 0, L: 3 } })).toThrow(/ewma.lambda must be in \(0, 1\]/);
    expect(() => evaluateRules([1], unit, { cusum: { k: 0.5, h: 0 } })).toThrow(/cusum.h/);
    expect(() => evaluateRules([1, Number.POSITIVE_INFINITY], unit)).toThrow(/point 2/);
  });
});

describe('log transform inside the evaluators', () => {
  it('charts ln(value) against limits in the log scale', () => {
    const limits = knownLimits(Math.log(100), 0.1, 'log');
    // exp(ln 100 + 0.3) = 134.99: 136 is beyond, 134 is not.
    expect(flagged('R1', [100, 136, 134, 73], limits)).toEqual([1, 3]);
  });
});
