// Lint for the Node packages and scripts. The Grafana panel has its own config
// (grafana-plugin/eslint.config.mjs, from create-plugin) and is left to it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/', '**/dist/', '**/coverage/', 'grafana-plugin/', 'provisioning/', 'migrations/', '.llmscope/', 'artifacts/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Code is wrapped at 140 by Prettier (.prettierrc.json, `npm run format:check`); Prettier
      // never rewraps a comment, so comment width is checked here.
      'max-len': ['error', { code: 1000, comments: 140, ignoreUrls: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      // Labels, replies and stored text are cleaned of control characters on purpose, by regex.
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
  {
    // Functions these benchmarks hand to page.evaluate() run in Chromium.
    files: ['scripts/bench/panel.mjs', 'scripts/bench/viewer.mjs', 'scripts/bench/panel/**/*.mjs', 'scripts/bench/support/paint.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      // Tests assert on rows and parsed JSON whose shape the assertion itself checks.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
