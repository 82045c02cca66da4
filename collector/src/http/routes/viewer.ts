import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

const gzipAsync = promisify(gzip);

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

// The file names carry no content hash, so the browser keeps them but asks again each time
// (a 304 when unchanged, and Chromium keeps its compiled code for the bundle); icons change
// only with @grafana/ui and may be kept a day.
const REVALIDATE = 'no-cache';
const ICONS_MAX_AGE = 'public, max-age=86400';
/** Text types worth compressing; the icons' SVGs are small and fonts come compressed. */
const COMPRESSIBLE: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

interface Gzipped {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

/**
 * Serves the gzip form of a compressible file under root to a client that accepts gzip, and
 * lets express.static answer everything else. Each file is compressed once and kept in
 * memory (the viewer bundle is 4.7 MB, ~1.2 MB gzipped; compressing it takes ~0.3 s of CPU),
 * again only when the build replaced it (docs/viewer.md).
 */
function gzippedStatics(root: string, cache: Map<string, Promise<Gzipped>>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const type = COMPRESSIBLE[path.extname(req.path)];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !type || !/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      next();
      return;
    }
    try {
      const file = path.join(root, path.normalize(decodeURIComponent(req.path)));
      if (!file.startsWith(root + path.sep)) {
        next();
        return;
      }
      const info = await stat(file);
      let entry = cache.get(file);
      const kept = entry ? await entry : null;
      if (!kept || kept.mtimeMs !== info.mtimeMs || kept.size !== info.size) {
        entry = readFile(file).then(async (raw) => {
          const body = await gzipAsync(raw, { level: 9 });
          const etag = `"gz-${createHash('sha1').update(raw).digest('base64url')}"`;
          return { mtimeMs: info.mtimeMs, size: info.size, body, etag };
        });
        cache.set(file, entry);
        // A failed read or compression is not kept: the next request tries again.
        const failed = entry;
        failed.catch(() => cache.get(file) === failed && cache.delete(file));
      }
      const gz = await entry!;
      res.setHeader('Vary', 'Accept-Encoding');
      res.setHeader('Cache-Control', REVALIDATE);
      res.setHeader('ETag', gz.etag);
      if (req.headers['if-none-match'] === gz.etag) {
        res.status(304).end();
        return;
      }
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', gz.body.length);
      res.end(req.method === 'HEAD' ? undefined : gz.body);
    } catch (error) {
      // A file that is not there (or a malformed path) is express.static's 404, anything else a server error.
      const code = (error as NodeJS.ErrnoException).code;
      next(error instanceof URIError || code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? undefined : error);
    }
  };
}

export function viewerRoutes(files = findViewerFiles()): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    if (!files) {
      res.status(503).type('text/plain').send(`${NOT_BUILT}\n`);
      return;
    }
    res.setHeader('Content-Security-Policy', VIEWER_CSP);
    res.setHeader('Cache-Control', REVALIDATE);
    res.sendFile(path.join(files.viewer, 'index.html'));
  });
  if (files) {
    const gzipped = new Map<string, Promise<Gzipped>>();
    const statics = {
      index: false,
      fallthrough: true,
      cacheControl: false,
      setHeaders: (res: Response) => res.setHeader('Cache-Control', REVALIDATE),
    };
    router.use('/viewer', gzippedStatics(files.viewer, gzipped), express.static(files.viewer, statics));
    router.use(`/public/plugins/${PLUGIN_ID}`, gzippedStatics(files.plugin, gzipped), express.static(files.plugin, statics));
    // @grafana/ui fetches its icons from the path Grafana serves them under.
    router.use(
      '/public/build/img/icons',
      express.static(path.join(files.viewer, 'icons'), {
        ...statics,
        setHeaders: (res: Response) => res.setHeader('Cache-Control', ICONS_MAX_AGE),
      }),
    );
  }
  return router;
}
