// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
const swcTransform = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  // d3 and other ESM-only dependencies of @grafana/ui ship .mjs files: transform those too.
  transform: { '^.+\\.m?(t|j)sx?$': swcTransform },
  // jspdf's browser build and its image/zip dependencies are ESM-only.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, 'jspdf', 'fflate', 'fast-png', 'iobuffer'])],
  // The e2e build output and the browser script are not unit tests.
  // The viewer's pure modules have tests beside them too.
  testMatch: [...base.testMatch, '<rootDir>/viewer/src/**/*.test.{ts,tsx}'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/e2e/'],
};
