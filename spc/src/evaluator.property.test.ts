// Proof that the incremental evaluator (counters and bit histories, O(1) per point) gives the
// batch evaluator's answer (each rule read straight from its definition), including across a
// snapshot / JSON / restore in the middle of the stream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incrementalHits } from '../test/evaluateBoth.js';
import { positiveSeries, ruleConfig, series } from '../test/arbitraries.js';
import { RuleEvaluator } from './evaluator.js';
import { estimateLimits, knownLimits } from './limits.js';
import { evaluateRules } from './rules/evaluateRules.js';
import { RULE_BIT } from './rules/ruleMask.js';
import type { ControlLimits, RuleConfig, RuleHit } from './types.js';

function tryEstimate(values: number[], sigma: 'mr' | 'mmr' | 'sd', clean: boolean, transform: 'none' | 'log'): ControlLimits | null {
  try {
    return estimateLimits(values, { sigma, clean, transform });
  } catch {
    return null; // fewer than 2 points, or an overflowing estimate from ±1e300 values
  }
}

/** Incremental hits with the evaluator serialised to JSON and rebuilt after `cut` points. */
function hitsAcrossRestore(values: number[], limits: ControlLimits, config: RuleConfig, cut: number): RuleHit[] {
  let evaluator = new RuleEvaluator(limits, config);
  const hits: RuleHit[] = [];
  values.forEach((value, index) => {
    if (index === cut) evaluator = RuleEvaluator.restore(JSON.parse(JSON.stringify(evaluator.snapshot())));
    for (const rule of evaluator.push(value)) hits.push({ index, rule });
  });
  return hits;
}

const limitChoice = fc.record({
  kind: fc.constantFrom('unit', 'known', 'estimated'),
  center: fc.double({ min: -2, max: 2, noNaN: true }),
  sigma: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 3, noNaN: true })),
  method: fc.constantFrom('mr' as const, 'mmr' as const, 'sd' as const),
  clean: fc.boolean(),
});

describe('RuleEvaluator == evaluateRules', () => {
  it('on random and adversarial series, with a snapshot/restore mid-stream', () => {
    fc.assert(
      fc.property(series(), limitChoice, ruleConfig, fc.nat(), (values, choice, config, cutSeed) => {
        const limits =
          choice.kind === 'unit'
            ? knownLimits(0, 1)
            : choice.kind === 'known'
              ? knownLimits(choice.center, choice.sigma)
              : tryEstimate(values, choice.method, choice.clean, 'none');
        fc.pre(limits !== null);
        const batch = evaluateRules(values, limits!, config);
        expect(incrementalHits(values, limits!, config)).toEqual(batch);
        const cut = values.length === 0 ? 0 : cutSeed % (values.length + 1);
        expect(hitsAcrossRestore(values, limits!, config, cut)).toEqual(batch);
      }),
      { numRuns: 600 },
    );
  });

  it('under the log transform', () => {
    fc.assert(
      fc.property(positiveSeries(), limitChoice, ruleConfig, fc.nat(), (values, choice, config, cutSeed) => {
        const limits =
          choice.kind === 'estimated'
            ? tryEstimate(values, choice.method, choice.clean, 'log')
            : knownLimits(Math.log(100) + choice.center, choice.sigma, 'log');
        fc.pre(limits !== null);
        const batch = evaluateRules(values, limits!, config);
        const cut = values.length === 0 ? 0 : cutSeed % (values.length + 1);
        expect(hitsAcrossRestore(values, limits!, config, cut)).toEqual(batch);
      }),
      { numRuns: 300 },
    );
  });

  it('pushMask carries the same rules as push', () => {
    fc.assert(
      fc.property(series(4), ruleConfig, (values, config) => {
        const a = new RuleEvaluator(knownLimits(0, 1), config);
        const b = new RuleEvaluator(knownLimits(0, 1), config);
        for (const value of values) {
          const expected = a.push(value).reduce((mask, rule) => mask | RULE_BIT[rule], 0);
          expect(b.pushMask(value)).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('RuleEvaluator.pushMany', () => {
  it('equals pushMask point by point, in any chunking', () => {
    fc.assert(
      fc.property(series(6), ruleConfig, fc.array(fc.nat(40), { maxLength: 6 }), (values, config, chunks) => {
        const single = new RuleEvaluator(knownLimits(0, 1), config);
        const expected = values.map((value) => single.pushMask(value));
        const bulk = new RuleEvaluator(knownLimits(0, 1), config);
        const masks: number[] = [];
        let from = 0;
        let flagged = 0;
        for (const size of [...chunks, values.length]) {
          const chunk = Float64Array.from(values.slice(from, from + size));
          const out = new Uint16Array(chunk.length);
          flagged += bulk.pushMany(chunk, out);
          masks.push(...out);
          from += chunk.length;
        }
        expect(masks).toEqual(expected);
        expect(flagged).toBe(expected.filter((mask) => mask !== 0).length);
        expect(bulk.snapshot()).toEqual(single.snapshot());
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the points before a bad value and names its index', () => {
    const evaluator = new RuleEvaluator(knownLimits(0, 1));
    expect(() => evaluator.pushMany([1, 2, Number.NaN, 3])).toThrow(/values\[2\]: value NaN is not a finite number/);
    expect(evaluator.count).toBe(2);
    expect(() => evaluator.pushMany([1, 2], new Uint16Array(1))).toThrow(/masks has room for 1 points, values has 2/);
  });
});

describe('RuleEvaluator edges', () => {
  it('refuses a bad value without changing its state', () => {
    const evaluator = new RuleEvaluator(knownLimits(0, 1, 'log'));
    evaluator.push(1);
    const before = JSON.stringify(evaluator.snapshot());
    expect(() => evaluator.push(0)).toThrow(/must be a finite number > 0/);
    expect(() => evaluator.push(Number.NaN)).toThrow(RangeError);
    expect(JSON.stringify(evaluator.snapshot())).toBe(before);
    expect(() => new RuleEvaluator(knownLimits(0, 1)).push(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });

  it('refuses a state of another version or with a missing counter', () => {
    const state = new RuleEvaluator(knownLimits(0, 1)).snapshot();
    expect(() => RuleEvaluator.restore({ ...state, version: 2 as never })).toThrow(/version 2 is not supported/);
    const { aboveRun: _dropped, ...counters } = state.counters;
    expect(() => RuleEvaluator.restore({ ...state, counters: counters as never })).toThrow(/counters.aboveRun/);
  });

  it('round-trips counters JSON cannot hold', () => {
    const evaluator = new RuleEvaluator(knownLimits(0, 1), { cusum: { k: 0, h: 1 } });
    evaluator.push(1e308);
    evaluator.push(1e308); // C⁺ overflows to Infinity
    const restored = RuleEvaluator.restore(JSON.parse(JSON.stringify(evaluator.snapshot())));
    expect(restored.snapshot()).toEqual(evaluator.snapshot());
    expect(restored.push(0)).toContain('CUSUM');
  });
});
