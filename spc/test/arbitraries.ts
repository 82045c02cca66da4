// fast-check generators for series that stress the rules: exact centre-line and zone-line
// values, ties, constant runs, alternations, trends, and huge and tiny magnitudes.
import fc from 'fast-check';
import type { RuleConfig } from '../src/types.js';

/** Multiples of σ/2 around a centre of 0 hit the centre and every zone line exactly. */
const onGrid = fc.integer({ min: -8, max: 8 }).map((k) => k / 2);

const segment: fc.Arbitrary<number[]> = fc.oneof(
  fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { maxLength: 30 }),
  fc.array(onGrid, { maxLength: 30 }),
  fc.tuple(onGrid, fc.integer({ min: 1, max: 20 })).map(([value, n]) => Array<number>(n).fill(value)),
  fc.tuple(onGrid, onGrid, fc.integer({ min: 2, max: 30 })).map(([a, b, n]) => Array.from({ length: n }, (_, i) => (i % 2 ? a : b))),
  fc
    .tuple(onGrid, fc.constantFrom(-0.5, -0.25, 0.25, 0.5), fc.integer({ min: 2, max: 12 }))
    .map(([start, step, n]) => Array.from({ length: n }, (_, i) => start + i * step)),
  fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { maxLength: 10 }),
  fc.array(fc.double({ min: -1e-300, max: 1e-300, noNaN: true }), { maxLength: 10 }),
);

export const series = (maxSegments = 8): fc.Arbitrary<number[]> =>
  fc.array(segment, { maxLength: maxSegments }).map((parts) => parts.flat());

/** Strictly positive series for the log transform, including ties and exact powers of e. */
export const positiveSeries = (maxSegments = 8): fc.Arbitrary<number[]> =>
  fc
    .array(
      fc.oneof(
        fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { maxLength: 30 }),
        fc.array(
          onGrid.map((k) => Math.exp(k / 4) * 100),
          { maxLength: 30 },
        ),
        fc
          .tuple(fc.double({ min: 1, max: 1000, noNaN: true }), fc.integer({ min: 1, max: 20 }))
          .map(([value, n]) => Array<number>(n).fill(value)),
      ),
      { maxLength: maxSegments },
    )
    .map((parts) => parts.flat());

export const ruleConfig: fc.Arbitrary<RuleConfig> = fc.record(
  {
    preset: fc.constantFrom('nelson' as const, 'western-electric' as const),
    runLengths: fc.record(
      {
        R2: fc.integer({ min: 2, max: 12 }),
        R3: fc.integer({ min: 2, max: 10 }),
        R4: fc.integer({ min: 3, max: 16 }),
        R7: fc.integer({ min: 2, max: 18 }),
        R8: fc.integer({ min: 2, max: 10 }),
      },
      { requiredKeys: [] },
    ),
    ewma: fc.oneof(
      fc.constant(false as const),
      fc.record({ lambda: fc.double({ min: 0.01, max: 1, noNaN: true }), L: fc.double({ min: 0.5, max: 4, noNaN: true }) }),
    ),
    cusum: fc.oneof(
      fc.constant(false as const),
      fc.record({ k: fc.double({ min: 0, max: 2, noNaN: true }), h: fc.double({ min: 0.1, max: 8, noNaN: true }) }),
    ),
  },
  { requiredKeys: [] },
);
