// A static server for the host page, the AMD loader, the host bundle and the plugin's
// dist/ under the path Grafana serves plugins from.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** routes: URL prefix → directory (or file for an exact path); `json` serves in-memory data (or a function of the query). */
export function startServer({ routes, json }) {
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (json[pathname] !== undefined) {
      // A function answers from the request's query, as the collector's API does.
      const body =
        typeof json[pathname] === 'function'
          ? json[pathname](new URL(req.url ?? '/', 'http://localhost').searchParams)
          : json[pathname];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    for (const [prefix, target] of Object.entries(routes)) {
      if (pathname === prefix || (prefix.endsWith('/') && pathname.startsWith(prefix))) {
        const file = prefix.endsWith('/') ? path.join(target, pathname.slice(prefix.length)) : target;
        if (!file.startsWith(target)) {
          break;
        }
        try {
          if ((await stat(file)).isFile()) {
            res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
            createReadStream(file).pipe(res);
            return;
          }
        } catch {
          // fall through to 404
        }
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`not found: ${pathname}`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
