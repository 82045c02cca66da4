import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findViewerFiles, viewerHint, viewerRoutes } from '../../src/http/routes/viewer.js';

// The route serves build outputs of grafana-plugin; these tests give it a stand-in build so
// they run without one (the browser test, grafana-plugin/e2e/viewer.mjs, uses the real one).
let root: string;

function app(pluginRoot: string) {
  const a = express();
  a.use(helmet());
  a.use(viewerRoutes(findViewerFiles(pluginRoot)));
  return a;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'llmscope-viewer-route-'));
  await mkdir(path.join(root, 'built', 'dist'), { recursive: true });
  await mkdir(path.join(root, 'built', 'dist-viewer', 'icons'), { recursive: true });
  await writeFile(path.join(root, 'built', 'dist', 'module.js'), 'define([], () => ({}));');
  await writeFile(path.join(root, 'built', 'dist-viewer', 'index.html'), '<!doctype html><title>LLMscope</title>');
  // Large and repetitive, like the shared-module bundle: gzip must make it much smaller.
  await writeFile(path.join(root, 'built', 'dist-viewer', 'viewer.js'), `/* viewer */\n${'define("x", [], () => 1);\n'.repeat(5000)}`);
  await writeFile(path.join(root, 'built', 'dist-viewer', 'icons', 'sync.svg'), '<svg/>');
  await mkdir(path.join(root, 'unbuilt', 'dist'), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('viewer route', () => {
  it('serves the page with its own CSP: own origin only, no https upgrade', async () => {
    const res = await request(app(path.join(root, 'built'))).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>LLMscope</title>');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('serves the panel under the path Grafana serves plugins from, the viewer bundle and the icons', async () => {
    const a = app(path.join(root, 'built'));
    expect((await request(a).get('/public/plugins/llmscope-spc-panel/module.js')).text).toContain('define(');
    expect((await request(a).get('/viewer/viewer.js')).status).toBe(200);
    expect((await request(a).get('/public/build/img/icons/sync.svg')).status).toBe(200);
    expect((await request(a).get('/viewer/../../dist/module.js')).status).toBe(404);
  });

  it('without a build answers 503 naming the build command, and the ready line says the same', async () => {
    const res = await request(app(path.join(root, 'unbuilt'))).get('/');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build -w grafana-plugin');
    expect(viewerHint('http://127.0.0.1:8080', findViewerFiles(path.join(root, 'unbuilt')))).toContain('npm run build -w grafana-plugin');
    expect(viewerHint('http://127.0.0.1:8080', findViewerFiles(path.join(root, 'built')))).toBe(
      'open http://127.0.0.1:8080/ in a browser for the control chart',
    );
  });

  it('gzips the bundles for a client that accepts it, once, with revalidation headers and a 304 for an unchanged file', async () => {
    const a = app(path.join(root, 'built'));
    const file = path.join(root, 'built', 'dist-viewer', 'viewer.js');
    const raw = await request(a).get('/viewer/viewer.js').set('Accept-Encoding', 'identity');
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(raw.headers['cache-control']).toBe('no-cache');

    const zipped = await rawGet(a, '/viewer/viewer.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('Accept-Encoding');
    expect(zipped.headers['cache-control']).toBe('no-cache');
    expect(zipped.headers['content-type']).toMatch(/^text\/javascript/);
    const body = zipped.body;
    expect(body.length).toBeLessThan(raw.text.length / 10);
    expect(gunzipSync(body).toString()).toBe(raw.text);

    const again = await rawGet(a, '/viewer/viewer.js', { 'accept-encoding': 'gzip', 'if-none-match': String(zipped.headers.etag) });
    expect(again.status).toBe(304);

    // A rebuild replaces the file: the next answer is the new content, not the kept one.
    await writeFile(file, '/* rebuilt */');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const rebuilt = await rawGet(a, '/viewer/viewer.js', { 'accept-encoding': 'gzip', 'if-none-match': String(zipped.headers.etag) });
    expect(rebuilt.status).toBe(200);
    expect(gunzipSync(rebuilt.body).toString()).toBe('/* rebuilt */');

    const plugin = await request(a).get('/public/plugins/llmscope-spc-panel/module.js').set('Accept-Encoding', 'gzip');
    expect(plugin.headers['content-encoding']).toBe('gzip');
    expect(plugin.text).toContain('define(');
    const page = await request(a).get('/');
    expect(page.headers['cache-control']).toBe('no-cache');
    const icon = await request(a).get('/public/build/img/icons/sync.svg');
    expect(icon.headers['cache-control']).toBe('public, max-age=86400');
    expect((await request(a).get('/viewer/missing.js').set('Accept-Encoding', 'gzip')).status).toBe(404);
    expect((await request(a).get('/viewer/%E0%A4%A.js').set('Accept-Encoding', 'gzip')).status).toBe(404);
  });
});

/** A GET whose body stays as sent (supertest and fetch would gunzip it). */
async function rawGet(a: express.Express, url: string, headers: Record<string, string>) {
  const server = a.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
