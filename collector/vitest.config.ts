import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/export/csvBothWays.test.ts runs the panel's export code, which imports Grafana's
    // data package; its ESM build needs Vite's CommonJS interop to load under Node.
    server: { deps: { inline: [/@grafana\//] } },
    globalSetup: ['test/dropLeftoverDatabases.ts'],
  },
});
