import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/export/csvBothWays.test.ts runs the panel's export code, which imports Grafana's
    // data package; its ESM build needs Vite's CommonJS interop to load under Node.
    server: { deps: { inline: [/@grafana\//] } },
    // Drops only a 57P01 on a pg client some test left open without a listener (see the file).
    setupFiles: ['./test/setup/terminatedClients.ts'],
  },
});
