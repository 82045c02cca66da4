// Profiles one render of the panel on the bench's data (not a bench row): the time from data
// to painted chart, and the functions with the most self time in a Chromium CPU profile.
// Usage: node scripts/bench/panel/profile.mjs [points] [violations]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer } from 'source-map';
import { launchChromium } from '../../../grafana-plugin/e2e/chromium.mjs';
import { startServer } from '../../../grafana-plugin/e2e/server.mjs';
import { buildPage } from './buildPage.mjs';
import { generateData, timePanel, PANEL_PAGE } from '../panel.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pluginRoot = path.resolve(here, '../../../grafana-plugin');
const require = createRequire(path.join(pluginRoot, 'package.json'));
const count = Number(process.argv[2] ?? 100_000);
const violations = Number(process.argv[3] ?? 1_000);

const buildDir = await mkdtemp(path.join(tmpdir(), 'llmscope-profile-page-'));
await buildPage(buildDir);
const server = await startServer({
  routes: {
    '/': path.join(pluginRoot, 'e2e', 'host', 'index.html'),
    '/vendor/require.js': require.resolve('requirejs/require.js'),
    '/host/': buildDir,
    [`/public/plugins/${PANEL_PAGE.pluginId}/`]: path.join(pluginRoot, 'dist'),
  },
  json: {},
});
const browser = await launchChromium({ exposeGc: true });
try {
  const page = await browser.newPage({ viewport: { width: PANEL_PAGE.width + 64, height: PANEL_PAGE.height * 2 + 200 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url);
  await page.evaluate(generateData, { count, violations });
  await page.evaluate((url) => new Promise((resolve, reject) => window.require([url], resolve, reject)), PANEL_PAGE.moduleUrl);
  if (process.env.TRACE) {
    // Where native time goes (style, layout, paint, raster): the main thread's timeline events.
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const { ms } = await timePanel(page, violations);
    const trace = JSON.parse((await browser.stopTracing()).toString());
    console.log(`data → painted chart: ${ms.toFixed(0)} ms (${count} points, ${violations} markers), traced`);
    const total = new Map();
    for (const e of trace.traceEvents) if (e.ph === 'X' && e.dur) total.set(e.name, (total.get(e.name) ?? 0) + e.dur / 1000);
    for (const [name, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${t.toFixed(1).padStart(8)} ms  ${name}`);
    process.exit(0);
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const { ms } = await timePanel(page, violations);
  const { profile } = await cdp.send('Profiler.stop');
  console.log(`data → painted chart: ${ms.toFixed(0)} ms (${count} points, ${violations} markers)`);
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // module.js is minified: its frames are named through its source map.
  const map = new SourceMapConsumer(JSON.parse(await readFile(path.join(pluginRoot, 'dist', 'module.js.map'), 'utf8')));
  const nameOf = (f) => {
    if (f.url.endsWith('/module.js')) {
      const at = map.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
      if (at.source) return `${at.name ?? f.functionName} ${at.source.split('/').slice(-2).join('/')}:${at.line}`;
    }
    return `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = nameOf(f);
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${t.toFixed(1).padStart(8)} ms  ${key}`);
  await writeFile(path.join(tmpdir(), 'llmscope-panel.cpuprofile'), JSON.stringify(profile));
} finally {
  await browser.close();
  await server.close();
  await rm(buildDir, { recursive: true, force: true });
}
