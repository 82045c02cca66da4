/** Bad input to `llmscope analyze` (file content or option values): reported on one line, exit code 2. */
export class AnalyzeInputError extends Error {
  override readonly name = 'AnalyzeInputError';
}
