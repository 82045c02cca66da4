import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
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
  await writeFile(path.join(root, 'built', 'dist-viewer', 'viewer.js'), '/* viewer */');
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
});
