// Soak sizes: CI runs a scaled-down size; LLMSCOPE_FULL_SOAK=1 runs the size the promise names.
export const FULL_SIZE = process.env.LLMSCOPE_FULL_SOAK === '1';

export function scaled<T>(sizes: { ci: T; full: T }): T {
  return FULL_SIZE ? sizes.full : sizes.ci;
}
