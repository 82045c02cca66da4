// Bundles e2e/host/entry.js (React, @grafana/* … from node_modules) into one browser script.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const here = path.dirname(fileURLToPath(import.meta.url));

export function buildHost(outDir) {
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: here,
    entry: './host/entry.js',
    output: { path: outDir, filename: 'host.js', publicPath: '/host/', clean: true },
    cache: { type: 'filesystem', cacheDirectory: path.join(here, '.cache') },
    module: {
      rules: [
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        // @grafana/ui ships .mjs that import without file extensions.
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    resolve: { extensions: ['.js', '.mjs', '.json'] },
    performance: { hints: false },
    infrastructureLogging: { level: 'error' },
  });
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) {
        reject(error);
      } else if (stats.hasErrors()) {
        reject(new Error(`host bundle failed:\n${stats.toString({ all: false, errors: true })}`));
      } else {
        resolve(path.join(outDir, 'host.js'));
      }
    });
  });
}
