// 6. Built-in viewer. Headless Chromium opens the viewer page as `llmscope start` serves it
// (grafana-plugin/dist-viewer: the page, the shared-module bundle; dist/module.js: the panel)
// on a week of one 15 s series — 40 320 probes, 400 violations — and is timed from navigation
// to the first frame painted with the chart and every violation marker: page, bundles, the
// panel module, the API answers and the render. The API answers come from memory (the same
// JSON shapes as GET /api/series, /api/stats/spc, /api/violations; /api/stats/spc thins to
// the max_points the page asks for as the collector does), so the row measures the
// browser side; the API's own timings are the api rows. Peer, same run and data: the panel
// alone on the browser test's host page, handed the frames in memory (module already loaded).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../grafana-plugin/e2e/server.mjs';
import { buildPage } from './panel/buildPage.mjs';
import { goal, num, progress, quantile, times } from './support/stats.mjs';
import { launchChromium } from '../../grafana-plugin/e2e/chromium.mjs';
import { untilPainted } from './support/paint.mjs';

export const name = 'viewer first paint';

const here = path.dirname(fileURLToPath(import.meta.url));
const pluginRoot = path.resolve(here, '../../grafana-plugin');
const dist = path.join(pluginRoot, 'dist');
const viewerDist = path.join(pluginRoot, 'dist-viewer');
const require = createRequire(path.join(pluginRoot, 'package.json'));
const PLUGIN_ID = 'llmscope-spc-panel';
const STEP_MS = 15_000;
const SERIES = { target: 'bench-ollama', model: 'bench-model', probe: 'default' };
const TIMEOUT_MS = 120_000;

/** A week of one series ending now, as the API returns it, plus the same rows for the panel host. */
function weekOfProbes(count, violations) {
  let state = 12345;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 0.5) / 2147483648;
  };
  const end = Date.now() - 60_000;
  const every = Math.floor(count / violations);
  const points = [];
  const flagged = [];
  for (let i = 0; i < count; i++) {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const violating = i % every === Math.floor(every / 2) && flagged.length < violations;
    const latency = violating ? 1100 + 100 * uniform() : 800 * Math.exp(0.08 * normal);
    const ts = new Date(end - (count - 1 - i) * STEP_MS).toISOString();
    points.push({ id: i + 1, ts, latency_ms: latency, status: 'ok', cold_start: false, center: 800, ucl: 1017, lcl: 629 });
    if (violating) {
      const n = flagged.length;
      const rule = ['R1', 'R5', 'R7'][n % 3];
      flagged.push({
        id: n + 1,
        timestamp: ts,
        ...SERIES,
        rule,
        rule_name: rule,
        severity: ['critical', 'warning', 'info'][n % 3],
        latency_ms: latency,
        deviation_sigma: (latency - 800) / 64,
        sample_id: i + 1,
        points: 1,
        acknowledged_at: null,
        note: null,
      });
    }
  }
  return { points, flagged };
}

/**
 * /api/stats/spc as the collector answers it (collector/src/http/routes/series.ts): past
 * max_points, the range in max_points / 2 time buckets, each keeping its lowest and highest
 * latency, plus every point that opened a violation.
 */
function spcAnswer(points, flagged, maxPoints) {
  if (points.length <= maxPoints) return { series: SERIES, total_points: points.length, downsampled: false, points };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const first = Date.parse(points[0].ts);
  const span = Date.parse(points[points.length - 1].ts) - first + 1;
  const low = new Map();
  const high = new Map();
  for (const p of points) {
    const b = Math.floor(((Date.parse(p.ts) - first) / span) * buckets);
    if (!low.has(b) || p.latency_ms < low.get(b).latency_ms) low.set(b, p);
    if (!high.has(b) || p.latency_ms > high.get(b).latency_ms) high.set(b, p);
  }
  const violating = new Set(flagged.map((v) => v.sample_id));
  const kept = new Set([...low.values(), ...high.values(), ...points.filter((p) => violating.has(p.id))]);
  return { series: SERIES, total_points: points.length, downsampled: true, points: points.filter((p) => kept.has(p)) };
}

async function timeViewer(browser, url, expectedMarkers) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(url, { timeout: TIMEOUT_MS });
    // performance.now() counts from the navigation start.
    const ms = await page.evaluate(
      ({ expectedMarkers, timeoutMs, untilPaintedSource }) => {
        const untilPainted = new Function(`return (${untilPaintedSource})`)();
        // From the navigation start (0); the markers are canvas paint, counted by the panel's marker list.
        const markers = () => Number(document.querySelector('[data-testid="spc-violation-markers"]')?.dataset.count ?? 0);
        return untilPainted(0, () => markers() >= expectedMarkers, timeoutMs);
      },
      { expectedMarkers, timeoutMs: TIMEOUT_MS, untilPaintedSource: untilPainted.toString() },
    );
    if (errors.length > 0) throw new Error(`viewer: page errors: ${errors.join(' | ')}`);
    return ms;
  } finally {
    await page.close();
  }
}

async function timePanelAlone(browser, url, points, flagged) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  try {
    await page.goto(url, { timeout: TIMEOUT_MS });
    return await page.evaluate(
      async ({ moduleUrl, points, flagged, expectedMarkers, timeoutMs, untilPaintedSource }) => {
        await new Promise((resolve, reject) => window.require([moduleUrl], resolve, reject));
        const samples = points.map((p) => ({
          time: Date.parse(p.ts),
          id: p.id,
          latency_ms: p.latency_ms,
          status: p.status,
          model: 'bench-model',
          cold_start: p.cold_start,
          spc_center: p.center,
          spc_ucl: p.ucl,
          spc_lcl: p.lcl,
        }));
        const violations = flagged.map((v) => ({
          id: v.id,
          time: Date.parse(v.timestamp),
          rule: v.rule,
          severity: v.severity,
          latency_ms: v.latency_ms,
          deviation_sigma: v.deviation_sigma,
          sample_id: v.sample_id,
        }));
        const sampleColumns = [
          ['time', 'time'],
          ['id', 'number'],
          ['latency_ms', 'number'],
          ['status', 'string'],
          ['model', 'string'],
          ['cold_start', 'boolean'],
          ['spc_center', 'number'],
          ['spc_ucl', 'number'],
          ['spc_lcl', 'number'],
        ];
        const violationColumns = [
          ['id', 'number'],
          ['time', 'time'],
          ['rule', 'string'],
          ['severity', 'string'],
          ['latency_ms', 'number'],
          ['deviation_sigma', 'number'],
          ['sample_id', 'number'],
        ];
        const start = performance.now();
        await window.renderPanel({
          moduleUrl,
          width: 1380,
          height: 560,
          data: {
            model: 'bench-model',
            from: samples[0].time,
            to: samples[samples.length - 1].time,
            sampleColumns,
            violationColumns,
            samples,
            violations,
          },
        });
        const untilPainted = new Function(`return (${untilPaintedSource})`)();
        const markers = () => Number(document.querySelector('[data-testid="spc-violation-markers"]')?.dataset.count ?? 0);
        return untilPainted(start, () => markers() >= expectedMarkers, timeoutMs);
      },
      {
        moduleUrl: `/public/plugins/${PLUGIN_ID}/module.js`,
        points,
        flagged,
        expectedMarkers: flagged.length,
        timeoutMs: TIMEOUT_MS,
        untilPaintedSource: untilPainted.toString(),
      },
    );
  } finally {
    await page.close();
  }
}

export async function run({ quick }) {
  const count = 40_320;
  const violations = 400;
  const repeats = quick ? 1 : 5;
  if (!existsSync(path.join(viewerDist, 'index.html')) || !existsSync(path.join(dist, 'module.js'))) {
    throw new Error('grafana-plugin/dist or dist-viewer is missing: run `npm run build -w grafana-plugin` first');
  }
  const { points, flagged } = weekOfProbes(count, violations);
  const buildDir = await mkdtemp(path.join(tmpdir(), 'llmscope-bench-viewer-'));
  let browser;
  let server;
  try {
    progress('building the panel host page (the peer)');
    await buildPage(buildDir);
    server = await startServer({
      routes: {
        '/host.html': path.join(pluginRoot, 'e2e', 'host', 'index.html'),
        '/': path.join(viewerDist, 'index.html'),
        '/viewer/': viewerDist,
        '/vendor/require.js': require.resolve('requirejs/require.js'),
        '/host/': buildDir,
        [`/public/plugins/${PLUGIN_ID}/`]: dist,
        '/public/build/img/icons/': path.join(viewerDist, 'icons'),
      },
      json: {
        '/api/series': {
          series: [
            {
              ...SERIES,
              samples: count,
              first_at: points[0].ts,
              last_at: points[count - 1].ts,
              violations,
              unacknowledged_violations: violations,
            },
          ],
        },
        '/api/stats/spc': (query) => spcAnswer(points, flagged, Number(query.get('max_points') ?? 1000)),
        '/api/violations': { violations: flagged, next_cursor: null },
        // The page asks for the alert episodes too (docs/alerting.md); this series has none.
        '/api/alerts': { alerts: [] },
      },
    });
    browser = await launchChromium();
    const viewerUrl = `${server.url}/?${new URLSearchParams({ ...SERIES, range: '7d' })}`;
    const viewer = [];
    const alone = [];
    for (let r = 0; r < repeats; r++) {
      viewer.push(await timeViewer(browser, viewerUrl, violations));
      progress(`viewer run ${r + 1}: ${num(viewer[r], 0)} ms from navigation`);
      alone.push(await timePanelAlone(browser, `${server.url}/host.html`, points, flagged));
      progress(`panel alone run ${r + 1}: ${num(alone[r], 0)} ms from data`);
    }
    const figure = quantile(viewer, 0.5);
    const peer = quantile(alone, 0.5);
    return [
      {
        what: `viewer: navigation → painted chart, a week at 15 s (${num(count, 0)} points + ${violations} markers)`,
        figure: `${num(figure, 0)} ms`,
        peer: `${num(peer, 0)} ms the panel alone, data in memory`,
        ratio: `${times(figure / peer)} the panel alone`,
        goal: goal('< 1 s', figure < 1000),
        note: `median of ${repeats} fresh pages each (viewer ${viewer.map((v) => num(v / 1000, 2)).join(' / ')} s), headless Chromium ${browser.version()}; API answers from memory`,
      },
    ];
  } finally {
    await browser?.close();
    await server?.close();
    await rm(buildDir, { recursive: true, force: true });
  }
}
