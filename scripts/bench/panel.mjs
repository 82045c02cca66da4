// 5. Panel. Headless Chromium loads the plugin's built dist/module.js through the plugin e2e
// harness's host page (Grafana's shared modules over an AMD loader, window.renderPanel) and
// a Recharts LineChart bundled for the same page with the same React. Both get the same
// 100 000 samples with 1 000 violations; each is timed from handing over the data to the
// first frame painted after all its violation markers are drawn (the panel paints them on its
// canvas and counts them on its marker list; Recharts makes one SVG node each). Every run is a fresh page
// with the module already loaded, so load time is not counted. Each gets its data in its own
// form, built before the clock: the panel Grafana's data frames (a data source's work), Recharts
// its row objects. Both start their clock on a collected heap (window.gc), so neither pays for the
// harness's own garbage.
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

export const name = 'panel render';

const here = path.dirname(fileURLToPath(import.meta.url));
const pluginRoot = path.resolve(here, '../../grafana-plugin');
const dist = path.join(pluginRoot, 'dist');
const require = createRequire(path.join(pluginRoot, 'package.json'));
const PLUGIN_ID = 'llmscope-spc-panel';
const MODULE_URL = `/public/plugins/${PLUGIN_ID}/module.js`;
const WIDTH = 1200;
const HEIGHT = 480;
const RENDER_TIMEOUT_MS = 120_000;
/** What profile.mjs needs to load the same page. */
export const PANEL_PAGE = { pluginId: PLUGIN_ID, moduleUrl: MODULE_URL, width: WIDTH, height: HEIGHT };

// The columns of the dashboard's two queries, as the panel reads them (see grafana-plugin/e2e).
const SAMPLE_COLUMNS = [
  ['time', 'time'],
  ['id', 'number'],
  ['latency_ms', 'number'],
  ['status', 'string'],
  ['model', 'string'],
  ['spc_center', 'number'],
  ['spc_ucl', 'number'],
  ['spc_lcl', 'number'],
  ['spc_sigma', 'number'],
  ['eval_count', 'number'],
  ['eval_duration_ms', 'number'],
];
const VIOLATION_COLUMNS = [
  ['id', 'number'],
  ['time', 'time'],
  ['rule', 'string'],
  ['severity', 'string'],
  ['latency_ms', 'number'],
  ['deviation_sigma', 'number'],
  ['sample_id', 'number'],
];

/** Runs in the page: a week of samples and evenly spread violations, kept in window.__bench. */
export function generateData({ count, violations }) {
  let state = 12345;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 0.5) / 2147483648;
  };
  const start = Date.parse('2026-01-01T00:00:00Z');
  const step = (7 * 24 * 3_600_000) / count;
  const every = Math.floor(count / violations);
  const severities = ['critical', 'warning', 'info'];
  const samples = [];
  const flagged = [];
  for (let i = 0; i < count; i++) {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const violating = i % every === Math.floor(every / 2) && flagged.length < violations;
    const latency = violating ? 1100 + 100 * uniform() : 800 * Math.exp(0.08 * normal);
    const sample = {
      time: start + i * step,
      id: i + 1,
      latency_ms: latency,
      status: 'ok',
      model: 'bench-model',
      spc_center: 800,
      spc_ucl: 1017,
      spc_lcl: 629,
      spc_sigma: 64,
      eval_count: 24,
      eval_duration_ms: latency * 0.85,
    };
    samples.push(sample);
    if (violating) {
      const n = flagged.length;
      flagged.push({
        id: n + 1,
        time: sample.time,
        rule: n % 3 === 0 ? 'R1' : n % 3 === 1 ? 'R5' : 'R7',
        severity: severities[n % 3],
        latency_ms: latency,
        deviation_sigma: (latency - 800) / 64,
        sample_id: sample.id,
      });
    }
  }
  window.__bench = { samples, violations: flagged };
  return { samples: samples.length, violations: flagged.length };
}

export async function timePanel(page, expectedMarkers) {
  return page.evaluate(
    async ({ moduleUrl, width, height, sampleColumns, violationColumns, expectedMarkers, timeoutMs, untilPaintedSource }) => {
      const untilPainted = new Function(`return (${untilPaintedSource})`)();
      await new Promise((resolve, reject) => window.require([moduleUrl], resolve, reject));
      // Grafana's theme and global styles are on the page before a panel gets data: mounted
      // and painted before the clock starts, as the Recharts peer's page has nothing to mount.
      window.mountShell();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const { samples, violations } = window.__bench;
      const data = {
        model: 'bench-model',
        from: samples[0].time,
        to: samples[samples.length - 1].time,
        sampleColumns,
        violationColumns,
        samples,
        violations,
      };
      // The panel's data is Grafana's data frames: a data source has built them before a panel renders.
      data.series = window.buildFrames(data);
      // The page's own garbage (generating the week, building frames) is collected before the clock.
      window.gc();
      const start = performance.now();
      await window.renderPanel({ moduleUrl, width, height, data });
      const chart = await untilPainted(
        start,
        // The markers are canvas paint (the chart's draw hook); the marker list says how many it painted.
        () => Number(document.querySelector('[data-testid="spc-violation-markers"]')?.dataset.count ?? 0) >= expectedMarkers,
        timeoutMs,
      );
      // The summary card and the violation list render after the chart's first paint (useAfterFirstPaint.ts).
      const sidebar = await untilPainted(start, () => document.querySelector('[data-testid="spc-violation-list"]') !== null, timeoutMs);
      return { ms: chart, sidebarMs: sidebar };
    },
    {
      moduleUrl: MODULE_URL,
      width: WIDTH,
      height: HEIGHT,
      sampleColumns: SAMPLE_COLUMNS,
      violationColumns: VIOLATION_COLUMNS,
      expectedMarkers,
      timeoutMs: RENDER_TIMEOUT_MS,
      untilPaintedSource: untilPainted.toString(),
    },
  );
}

async function timeRecharts(page, expectedMarkers) {
  return page.evaluate(
    async ({ width, height, expectedMarkers, timeoutMs, untilPaintedSource }) => {
      const untilPainted = new Function(`return (${untilPaintedSource})`)();
      const recharts = await new Promise((resolve, reject) => window.require(['/bench/recharts.js'], resolve, reject));
      const container = document.createElement('div');
      document.body.appendChild(container);
      const { samples, violations } = window.__bench;
      window.gc();
      const start = performance.now();
      recharts.renderRecharts(container, { samples, violations, width, height });
      return untilPainted(
        start,
        () =>
          container.querySelectorAll('.recharts-reference-dot').length >= expectedMarkers &&
          container.querySelector('.recharts-line-curve') !== null,
        timeoutMs,
      ).then((ms) => ({ ms }));
    },
    { width: WIDTH, height: HEIGHT, expectedMarkers, timeoutMs: RENDER_TIMEOUT_MS, untilPaintedSource: untilPainted.toString() },
  );
}

export async function run({ quick }) {
  // Quick (CI) keeps the page small: Recharts alone takes tens of seconds on 100k points.
  const count = quick ? 20_000 : 100_000;
  const violations = quick ? 200 : 1_000;
  const repeats = quick ? 1 : 5;
  if (!existsSync(path.join(dist, 'module.js')))
    throw new Error('grafana-plugin/dist/module.js is missing: run `npm run build -w grafana-plugin` first');
  const buildDir = await mkdtemp(path.join(tmpdir(), 'llmscope-bench-page-'));
  let browser;
  let server;
  try {
    progress('building the page scripts (host with Grafana’s shared modules, Recharts)');
    await buildPage(buildDir);
    server = await startServer({
      routes: {
        '/': path.join(pluginRoot, 'e2e', 'host', 'index.html'),
        '/vendor/require.js': require.resolve('requirejs/require.js'),
        '/host/': buildDir,
        '/bench/': buildDir,
        [`/public/plugins/${PLUGIN_ID}/`]: dist,
      },
      json: {},
    });
    browser = await launchChromium({ exposeGc: true });
    const measure = async (what, time) => {
      const results = [];
      const sidebars = [];
      for (let r = 0; r < repeats; r++) {
        const page = await browser.newPage({ viewport: { width: WIDTH + 64, height: HEIGHT * 2 + 200 } });
        const errors = [];
        page.on('pageerror', (error) => errors.push(error.message));
        try {
          await page.goto(server.url);
          const made = await page.evaluate(generateData, { count, violations });
          if (made.violations !== violations) throw new Error(`generated ${made.violations} violations, expected ${violations}`);
          const { ms, sidebarMs } = await time(page, violations);
          results.push(ms);
          if (sidebarMs !== undefined) sidebars.push(sidebarMs);
          if (errors.length > 0) throw new Error(`${what}: page errors: ${errors.join(' | ')}`);
        } finally {
          await page.close();
        }
        progress(`${what} run ${r + 1}: ${num(results[results.length - 1], 0)} ms`);
      }
      return { median: quantile(results, 0.5), sidebar: sidebars.length > 0 ? quantile(sidebars, 0.5) : undefined };
    };
    const { median: panel, sidebar } = await measure('LLMscope panel', timePanel);
    const { median: recharts } = await measure('Recharts LineChart', timeRecharts);
    const ratio = recharts / panel;
    return [
      {
        what: `panel: data → painted chart, ${num(count / 1000, 0)}k points + ${num(violations, 0)} markers`,
        figure: `${num(panel, 0)} ms`,
        peer: `${num(recharts, 0)} ms Recharts 3.11 LineChart`,
        ratio: `${times(ratio)} faster`,
        goal: goal('< 200 ms and ≥ 10× faster', panel < 200 && ratio >= 10),
        note: `median of ${repeats} fresh pages each, headless Chromium ${browser.version()}, ${WIDTH}×${HEIGHT}; frames built before the clock (a data source's work); the summary card and violation list follow the chart at ${num(sidebar, 0)} ms`,
      },
    ];
  } finally {
    await browser?.close();
    await server?.close();
    await rm(buildDir, { recursive: true, force: true });
  }
}
