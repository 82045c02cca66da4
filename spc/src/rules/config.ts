// Turns a user's RuleConfig into a complete, validated one, so evaluators never see
// undefined options and bad values fail once, with the option named.
import { DEFAULT_RUN_LENGTHS } from '../constants.js';
import type { CusumConfig, EwmaConfig, RuleConfig, RunLengthRule } from '../types.js';

export interface ResolvedRuleConfig {
  preset: 'nelson' | 'western-electric';
  runLengths: Record<RunLengthRule, number>;
  ewma: EwmaConfig | null;
  cusum: CusumConfig | null;
}

const RUN_LENGTH_RULES: readonly RunLengthRule[] = ['R2', 'R3', 'R4', 'R7', 'R8'];
/** R4 needs three points before "alternating" means anything; every run needs two. */
const MIN_RUN_LENGTH: Record<RunLengthRule, number> = { R2: 2, R3: 2, R4: 3, R7: 2, R8: 2 };

export function resolveRuleConfig(config: RuleConfig = {}): ResolvedRuleConfig {
  const preset = config.preset ?? 'nelson';
  if (preset !== 'nelson' && preset !== 'western-electric') {
    throw new RangeError(`rules preset must be nelson or western-electric, got ${String(preset)}`);
  }
  const runLengths: Record<RunLengthRule, number> = { ...DEFAULT_RUN_LENGTHS };
  for (const [rule, length] of Object.entries(config.runLengths ?? {})) {
    if (!RUN_LENGTH_RULES.includes(rule as RunLengthRule)) {
      throw new RangeError(`runLengths.${rule}: only ${RUN_LENGTH_RULES.join(', ')} have a configurable run length`);
    }
    if (length === undefined) continue;
    const min = MIN_RUN_LENGTH[rule as RunLengthRule];
    if (!Number.isInteger(length) || length < min) {
      throw new RangeError(`runLengths.${rule} must be an integer >= ${min}, got ${length}`);
    }
    runLengths[rule as RunLengthRule] = length;
  }
  return { preset, runLengths, ewma: resolveEwma(config.ewma), cusum: resolveCusum(config.cusum) };
}

function resolveEwma(ewma: RuleConfig['ewma']): EwmaConfig | null {
  if (!ewma) return null;
  const { lambda, L } = ewma;
  if (!(lambda > 0 && lambda <= 1)) throw new RangeError(`ewma.lambda must be in (0, 1], got ${lambda}`);
  if (!(L > 0 && Number.isFinite(L))) throw new RangeError(`ewma.L must be a finite number > 0, got ${L}`);
  return { lambda, L };
}

function resolveCusum(cusum: RuleConfig['cusum']): CusumConfig | null {
  if (!cusum) return null;
  const { k, h } = cusum;
  if (!(k >= 0 && Number.isFinite(k))) throw new RangeError(`cusum.k must be a finite number >= 0, got ${k}`);
  if (!(h > 0 && Number.isFinite(h))) throw new RangeError(`cusum.h must be a finite number > 0, got ${h}`);
  return { k, h };
}
