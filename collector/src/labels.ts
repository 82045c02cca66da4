// What a series label (target, model, probe) may be: the same rule for what the collector
// stores and what the API accepts as a filter, so every stored series can be asked for.

export const MAX_LABEL_LENGTH = 256;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `label` cannot be a series label, or null when it can. */
export function labelProblem(label: string): string | null {
  if (label.length === 0) return 'must not be empty';
  if (label.length > MAX_LABEL_LENGTH) return `must be at most ${MAX_LABEL_LENGTH} characters`;
  if (CONTROL.test(label)) return 'must not contain control characters';
  return null;
}
