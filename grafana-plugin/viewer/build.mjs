// Builds the built-in viewer into dist-viewer/: the page, Grafana's boot data, the AMD
// loader, one bundle of the shared modules the panel imports (React, the names it takes from
// @grafana/ui, @grafana/data, @grafana/runtime …) with the viewer around the panel, and
// @grafana/ui's icons. Everything the browser needs comes from the collector, so the viewer
// works with no network. The panel itself is not in it: the page loads dist/module.js, the
// bundle Grafana loads; the build fails when that bundle needs a name the viewer does not
// offer (docs/viewer.md, "Shared modules").
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import TerserPlugin from 'terser-webpack-plugin';
import webpack from 'webpack';
import { checkOfferCoversBundle, OFFER_MODULE, offeredModules, offerSource } from './offeredModules.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pluginRoot = path.resolve(here, '..');
const require = createRequire(import.meta.url);
export const VIEWER_DIST = path.join(pluginRoot, 'dist-viewer');
/** Where the offer's generated modules are written; they resolve the packages from node_modules above. */
const OFFER_DIR = path.join(pluginRoot, 'node_modules', '.cache', 'llmscope-viewer-offer');

/** Writes the offer's modules for the panel's current source; checks the built panel needs nothing more. */
async function writeOffer() {
  const offered = offeredModules(pluginRoot);
  checkOfferCoversBundle(path.join(pluginRoot, 'dist'), offered);
  await rm(OFFER_DIR, { recursive: true, force: true });
  await mkdir(OFFER_DIR, { recursive: true });
  for (const [name, text] of Object.entries(offerSource(offered))) {
    await writeFile(path.join(OFFER_DIR, name), text);
  }
}

function bundle(outDir) {
  const compiler = webpack({
    mode: 'production',
    devtool: false,
    context: here,
    entry: './src/main.tsx',
    output: { path: outDir, filename: 'viewer.js', publicPath: '/viewer/' },
    // esbuild minifies the ~10 MB of shared modules in seconds (terser takes minutes on a
    // small machine); the browser then parses a third of it before the first paint.
    optimization: {
      minimize: true,
      minimizer: [new TerserPlugin({ minify: TerserPlugin.esbuildMinify, terserOptions: { target: 'es2020' } })],
    },
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(pluginRoot, 'node_modules', '.cache', 'llmscope-viewer'),
      // A change to this configuration (an alias, a plugin) must not reuse the cached resolutions.
      buildDependencies: { config: [fileURLToPath(import.meta.url)] },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'classic' } },
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        // @grafana/ui ships .mjs that import without file extensions.
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    resolve: {
      extensions: ['.tsx', '.ts', '.js', '.mjs', '.json'],
      alias: {
        [OFFER_MODULE]: path.join(OFFER_DIR, 'index.js'),
        // The time zones' rules for 1970-2030 (134 kB) instead of all of history (726 kB of
        // JSON parsed at start-up); the viewer shows its charts in the browser's time zone.
        'moment-timezone$': require.resolve('moment-timezone/builds/moment-timezone-with-data-1970-2030.js'),
      },
    },
    // moment's locales (~140 files) are reachable only through a computed require; the
    // viewer is in English, as the panel is (Grafana's own build leaves them out too).
    plugins: [new webpack.IgnorePlugin({ resourceRegExp: /^\.\/locale$/, contextRegExp: /moment$/ })],
    performance: { hints: false },
    infrastructureLogging: { level: 'error' },
  });
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) {
        reject(error);
      } else if (stats.hasErrors() || stats.hasWarnings()) {
        // A warning here is most often a name the offer re-exports that the package lacks at run time.
        reject(new Error(`viewer bundle failed:\n${stats.toString({ all: false, errors: true, warnings: true })}`));
      } else {
        resolve();
      }
    });
  });
}

export async function buildViewer(outDir = VIEWER_DIST) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeOffer();
  await bundle(outDir);
  await cp(path.join(here, 'index.html'), path.join(outDir, 'index.html'));
  await cp(path.join(here, 'boot.js'), path.join(outDir, 'boot.js'));
  await cp(path.join(here, 'early.js'), path.join(outDir, 'early.js'));
  await cp(require.resolve('requirejs/require.js'), path.join(outDir, 'require.js'));
  // Grafana serves @grafana/ui's icons from public/build/img/icons/.
  const icons = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');
  await cp(icons, path.join(outDir, 'icons'), { recursive: true });
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const out = await buildViewer();
  console.log(
    `viewer built into ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
}
