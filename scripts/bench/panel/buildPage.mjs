// The scripts of the benchmark page, built in one webpack run:
// - host.js: the plugin e2e harness's host (grafana-plugin/e2e/host/entry.js: Grafana's shared
//   modules defined for AMD, window.renderPanel), built in production mode as Grafana ships
//   React (the e2e build is a development build, which would slow both charts);
// - recharts.js: rechartsEntry.mjs as an AMD module taking react / react-dom from the page.
// Neither is minified (minifying does not change run time and costs a minute here).
import path from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const here = path.dirname(fileURLToPath(import.meta.url));
const e2eHost = path.resolve(here, '../../../grafana-plugin/e2e/host');
const cacheDirectory = path.join(tmpdir(), 'llmscope-bench-webpack-cache');

const common = {
  mode: 'production',
  devtool: false,
  optimization: { minimize: false },
  cache: { type: 'filesystem', cacheDirectory },
  module: {
    rules: [
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      // @grafana/ui and Recharts ship .mjs/.js that import without file extensions.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
    ],
  },
  resolve: { extensions: ['.js', '.mjs', '.json'] },
  performance: { hints: false },
  infrastructureLogging: { level: 'error' },
};

/** Builds both into outDir; resolves with their paths. */
export function buildPage(outDir) {
  const compiler = webpack([
    {
      ...common,
      name: 'host',
      context: e2eHost,
      entry: './entry.js',
      output: { path: outDir, filename: 'host.js', publicPath: '/host/' },
    },
    {
      ...common,
      name: 'recharts',
      context: here,
      entry: './rechartsEntry.mjs',
      output: { path: outDir, filename: 'recharts.js', library: { type: 'amd' } },
      externalsType: 'amd',
      externals: ['react', 'react-dom', 'react/jsx-runtime'],
    },
  ]);
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) reject(error);
      else if (stats.hasErrors()) reject(new Error(`benchmark page build failed:\n${stats.toString({ all: false, errors: true })}`));
      else resolve({ host: path.join(outDir, 'host.js'), recharts: path.join(outDir, 'recharts.js') });
    });
  });
}
