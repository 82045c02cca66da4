import { isSeverity, type Severity } from '@llmscope/contract';
import { isRuleId, type RuleId } from '@llmscope/spc';

const RULE_IN_TEXT = /\b(R[1-8]|WE[1-4]|EWMA|CUSUM)\b/;

export function asRuleId(value: string | null | undefined): RuleId | null {
  const id = value?.trim().toUpperCase();
  return isRuleId(id) ? id : null;
}

export function asSeverity(value: string | null | undefined): Severity | null {
  const s = value?.trim().toLowerCase();
  return isSeverity(s) ? s : null;
}

/** Annotations carry the rule in a tag or in their text ("R1 violation: …"). */
export function ruleFromAnnotation(tags: readonly string[], text: string | null): RuleId | null {
  for (const tag of tags) {
    const id = asRuleId(tag);
    if (id) {
      return id;
    }
  }
  const match = text ? RULE_IN_TEXT.exec(text) : null;
  return match ? asRuleId(match[1]) : null;
}

const RANK: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

export function mostSevere(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'info');
}
