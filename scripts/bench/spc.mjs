// Throughput of the incremental SPC evaluator (all 8 Nelson rules + EWMA + CUSUM) against the
// floor: a plain loop that only sums the same Float64Array. Uses the built @llmscope/spc
// (`npm run bench` builds first).
import { estimateLimits, RuleEvaluator } from '@llmscope/spc';

export const name = 'spc incremental evaluator';

const RULES = { preset: 'nelson', ewma: { lambda: 0.2, L: 3 }, cusum: { k: 0.5, h: 5 } };
const REPEATS = 3;

/** Latency-like data: a seeded normal process around 800 ms with occasional sustained shifts. */
function latencies(count) {
  const values = new Float64Array(count);
  let state = 0x9e3779b9;
  const uniform = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
  let shift = 0;
  for (let i = 0; i < count; i++) {
    if (i % 50_000 === 0) shift = uniform() < 0.3 ? 40 * (uniform() - 0.5) : 0;
    // Box–Muller, one draw per point.
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    values[i] = 800 + shift + 25 * normal;
  }
  return values;
}

function floorPass(values) {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** The bulk path: pushMany keeps the evaluator's state in locals for the whole array. */
function pushManyPass(values, limits) {
  return new RuleEvaluator(limits, RULES).pushMany(values);
}

/** One call per point, as the collector pushes live samples. */
function pushMaskPass(values, limits) {
  const evaluator = new RuleEvaluator(limits, RULES);
  let flagged = 0;
  for (let i = 0; i < values.length; i++) if (evaluator.pushMask(values[i]) !== 0) flagged++;
  return flagged;
}

/** Best of REPEATS timed passes, in points per second (best-of damps a shared CPU's noise). */
function pointsPerSecond(pass, values) {
  let best = Infinity;
  let result;
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint();
    result = pass(values);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { rate: values.length / best, result };
}

export async function run({ quick }) {
  const count = quick ? 1_000_000 : 10_000_000;
  const values = latencies(count);
  const limits = estimateLimits(Array.from(values.subarray(0, 1000)), { clean: true });
  // Warm every loop up so the JIT has optimised it before timing.
  const warm = values.subarray(0, 200_000);
  floorPass(warm);
  pushManyPass(warm, limits);
  pushMaskPass(warm, limits);

  const floor = pointsPerSecond(floorPass, values);
  const bulk = pointsPerSecond((v) => pushManyPass(v, limits), values);
  const single = pointsPerSecond((v) => pushMaskPass(v, limits), values);
  if (bulk.result !== single.result) throw new Error(`pushMany flagged ${bulk.result} points, pushMask ${single.result}`);
  const points = `${(count / 1e6).toLocaleString('en-US')}M points`;
  const rate = (r) => `${Math.round(r).toLocaleString('en-US')} points/s`;
  const ratio = (r) => `${(floor.rate / r).toFixed(1)}× slower`;
  const note = `${points} of latency-like data, ${bulk.result.toLocaleString('en-US')} flagged; peer: a plain loop summing the same Float64Array (the floor); best of ${REPEATS}`;
  return [
    {
      what: 'SPC evaluator, RuleEvaluator.pushMany: 8 Nelson rules + EWMA + CUSUM',
      figure: rate(bulk.rate),
      peer: rate(floor.rate),
      ratio: ratio(bulk.rate),
      goal: 'within 10× of the floor',
      note,
    },
    {
      what: 'SPC evaluator, RuleEvaluator.pushMask: one call per point',
      figure: rate(single.rate),
      peer: rate(floor.rate),
      ratio: ratio(single.rate),
      goal: '—',
      note: 'how the collector pushes live samples',
    },
  ];
}
