import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/**
 * The built-in viewer (docs/viewer.md): the page from grafana-plugin/dist-viewer/ and the
 * panel from grafana-plugin/dist/, the same module.js Grafana loads, under the path Grafana
 * serves plugins from. Both are build outputs of the grafana-plugin workspace.
 */
const PLUGIN_ROOT = fileURLToPath(new URL('../../../../grafana-plugin/', import.meta.url));
const PLUGIN_ID = 'llmscope-spc-panel';
const NOT_BUILT = 'the viewer is not built: run `npm run build -w grafana-plugin` (npm install does it) and restart';

// The page needs inline styles (emotion) and nothing from other origins; helmet's default
// would also upgrade every request to https, which a plain-http collector cannot answer.
const VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

export interface ViewerFiles {
  /** grafana-plugin/dist: module.js and its assets. */
  plugin: string;
  /** grafana-plugin/dist-viewer: index.html, the shared-module bundle, the icons. */
  viewer: string;
}

/** Where the built viewer lies, or null when either build output is missing. */
export function findViewerFiles(pluginRoot = PLUGIN_ROOT): ViewerFiles | null {
  const files = { plugin: path.join(pluginRoot, 'dist'), viewer: path.join(pluginRoot, 'dist-viewer') };
  const built = existsSync(path.join(files.plugin, 'module.js')) && existsSync(path.join(files.viewer, 'index.html'));
  return built ? files : null;
}

/** One line for the startup log: where to open the viewer, or how to build it. */
export function viewerHint(url: string, files = findViewerFiles()): string {
  return files ? `open ${url}/ in a browser for the control chart` : NOT_BUILT;
}

export function viewerRoutes(files = findViewerFiles()): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    if (!files) {
      res.status(503).type('text/plain').send(`${NOT_BUILT}\n`);
      return;
    }
    res.setHeader('Content-Security-Policy', VIEWER_CSP);
    res.sendFile(path.join(files.viewer, 'index.html'));
  });
  if (files) {
    const statics = { index: false, fallthrough: true, maxAge: 0 };
    router.use('/viewer', express.static(files.viewer, statics));
    router.use(`/public/plugins/${PLUGIN_ID}`, express.static(files.plugin, statics));
    // @grafana/ui fetches its icons from the path Grafana serves them under.
    router.use('/public/build/img/icons', express.static(path.join(files.viewer, 'icons'), statics));
  }
  return router;
}
