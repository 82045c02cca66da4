// A seeded generator so simulated runs (and the tests built on them) are reproducible.

export interface Random {
  next(): number; // uniform [0, 1)
  normal(): number; // standard normal
  logNormal(median: number, cv: number): number;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = Math.max(next(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    normal,
    // For a log-normal, CV² = exp(s²) − 1, so s = sqrt(ln(1 + CV²)); the median is exp(μ).
    logNormal: (median, cv) => median * Math.exp(Math.sqrt(Math.log(1 + cv * cv)) * normal()),
  };
}
