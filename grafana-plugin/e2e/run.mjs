// Browser test of the built plugin: real collector data from Postgres, dist/module.js
// loaded through an AMD loader with Grafana's shared modules, driven in headless Chromium.
// Run with `npm run e2e` (it builds dist/ first). Prints one line per step; exits 1 on failure.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHost } from './buildHost.mjs';
import { SAMPLE_COLUMNS, VIOLATION_COLUMNS, collectDemoData } from './collectorData.mjs';
import { clickMarker, closeDrawer, readMarkers, waitForMarkers } from './markers.mjs';
import { startServer } from './server.mjs';
import { grafanaVersions } from './versions.mjs';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pluginRoot = path.resolve(here, '..');
const dist = path.join(pluginRoot, 'dist');
const screenshots = path.join(here, 'screenshots');
const require = createRequire(import.meta.url);
const PLUGIN_ID = 'llmscope-spc-panel';
const WIDTH = 1200;
const HEIGHT = 560;

let step = 0;
const log = (line) => console.log(`e2e: ${line}`);
const begin = (what) => log(`[${++step}] ${what}`);

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  log(`    ok: ${message}`);
}

async function main() {
  begin('the Grafana version claimed, run and tested agree');
  const versions = grafanaVersions();
  log(
    `    grafanaDependency ${versions.dependency}; compose grafana/grafana:${versions.composeTag}; loaded ${Object.entries(
      versions.shared
    )
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')}`
  );
  check(
    versions.problems.length === 0,
    `one Grafana version${versions.problems.length ? `: ${versions.problems.join('; ')}` : ` (${versions.shared['@grafana/ui']})`}`
  );

  begin('plugin bundle');
  check(existsSync(path.join(dist, 'module.js')), 'dist/module.js exists (built by `npm run build`)');

  begin('collector data: `llmscope demo --interval 50ms --duration 20s` into a fresh database');
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const data = await collectDemoData({ serverUrl, interval: '50ms', duration: '20s', log });
  log(`    series ${data.model}: ${data.samples.length} samples, ${data.violations.length} violations`);
  check(data.samples.length >= 100, `at least 100 samples stored (${data.samples.length})`);

  begin('host page with Grafana’s shared modules (webpack bundle of node_modules)');
  const hostDir = await buildHost(path.join(here, '.build'));
  const server = await startServer({
    routes: {
      '/': path.join(here, 'host', 'index.html'),
      '/vendor/require.js': require.resolve('requirejs/require.js'),
      '/host/': path.dirname(hostDir),
      // Grafana serves @grafana/ui's icons from public/build/img/icons/.
      '/public/build/img/icons/': path.join(
        path.dirname(require.resolve('@grafana/ui/package.json')),
        'dist',
        'public',
        'img',
        'icons'
      ),
      [`/public/plugins/${PLUGIN_ID}/`]: dist,
    },
    json: {},
  });
  log(`    serving on ${server.url}`);

  begin('Chromium renders the panel from dist/module.js');
  const browser = await launchChromium();
  const pageErrors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Grafana's web fonts are not in any npm package; the page falls back to system fonts.
    page.on(
      'console',
      (msg) =>
        msg.type() === 'error' &&
        !msg.text().startsWith('Failed to load resource') &&
        log(`    browser console error: ${msg.text()}`)
    );
    page.on(
      'response',
      (res) =>
        res.status() >= 400 && !res.url().includes('/public/fonts/') && log(`    HTTP ${res.status()} for ${res.url()}`)
    );
    await page.goto(server.url);
    const times = data.samples.map((s) => s.time);
    await page.evaluate((args) => window.renderPanel(args), {
      moduleUrl: `/public/plugins/${PLUGIN_ID}/module.js`,
      width: WIDTH,
      height: HEIGHT,
      data: {
        model: data.model,
        from: Math.min(...times),
        to: Math.max(...times),
        sampleColumns: SAMPLE_COLUMNS,
        violationColumns: VIOLATION_COLUMNS,
        samples: data.samples,
        violations: data.violations,
      },
    });
    const painted = await waitForMarkers(page);
    const markers = await readMarkers(page);
    check(
      markers.length > 0 && markers.length === painted,
      `${markers.length} violation markers painted, each reached from the keyboard`
    );
    check(
      markers.every((m) => /^(critical|warning|info) violation R\d/.test(m.label ?? '')),
      'each marker is announced with its severity and rules'
    );
    check(
      (await page.locator('[data-testid="spc-violation-marker"]').count()) === 1,
      'markers are canvas paint: one option element (the active marker), not one button each'
    );
    const severities = new Set(markers.map((m) => m.severity));
    check(severities.has('critical'), `markers coloured by severity (${[...severities].join(', ')})`);
    // The list follows the chart's first paint; it renders the rows in its view, not all of them.
    const listed = await page.locator('[data-testid="spc-violation-list"]').evaluate((ul) => {
      const scroller = ul.parentElement;
      return {
        rows: ul.children.length,
        count: Number(ul.dataset.count),
        view: scroller.clientHeight,
        sidebar: scroller.parentElement.clientHeight,
      };
    });
    check(
      listed.view > 0 &&
        listed.view <= listed.sidebar &&
        listed.rows <= Math.min(listed.count, Math.ceil(listed.view / 24) + 11),
      `the violation list renders ${listed.rows} of ${listed.count} rows: those in its ${listed.view} px view (sidebar ${listed.sidebar} px)`
    );
    const canvas = await page.$eval('[data-testid="spc-control-chart"] canvas', (c) => ({ w: c.width, h: c.height }));
    check(canvas.w > 0 && canvas.h > 0, `uPlot canvas ${canvas.w}×${canvas.h}`);
    await mkdir(screenshots, { recursive: true });
    await page.locator('[data-testid="panel-frame"]').screenshot({ path: path.join(screenshots, 'panel.png') });
    log(`    screenshot ${path.relative(process.cwd(), path.join(screenshots, 'panel.png'))}`);

    begin('clicking a violation marker opens the drawer');
    const n = data.samples.length;
    // The mini chart shows 30 ok probes either side (failed probes are skipped, not counted):
    // pick a marker that has them, so the full ±30 window is there to check.
    const okBefore = [0];
    data.samples.forEach((s, i) => okBefore.push(okBefore[i] + (s.status === 'ok' ? 1 : 0)));
    const inMiddle = (m) => okBefore[m.index] >= 30 && okBefore[n] - okBefore[m.index + 1] >= 30;
    // Like a user, pick the marker that stands most apart from the others (critical first).
    const room = (m) => Math.min(...markers.filter((o) => o !== m).map((o) => Math.hypot(o.x - m.x, o.y - m.y)));
    const candidates = markers.filter((m) => inMiddle(m) && m.severity === 'critical');
    const pool = candidates.length > 0 ? candidates : markers.filter(inMiddle);
    const target = pool.sort((a, b) => room(b) - room(a))[0];
    check(
      target !== undefined,
      `a marker with 30 ok probes either side (sample ${target?.index}, ${target?.severity})`
    );
    await clickMarker(page, target);
    const drawer = page.locator('[data-testid="spc-violation-drawer"]');
    await drawer.waitFor({ timeout: 10_000 });
    const sample = data.samples[target.index];
    const current = await drawer.locator('[data-testid="spc-context-table"] tr[aria-current="true"]').innerText();
    check(
      current.includes(new Date(sample.time).toISOString().slice(11, 23)),
      `the click on the painted marker opened the drawer of sample ${target.index} (its time is the highlighted row)`
    );

    const telemetry = await drawer.locator('[data-testid="spc-telemetry"]').innerText();
    const field = (label) => telemetry.match(new RegExp(`${label}\\s+([^\\n]+)`))?.[1]?.trim();
    check(
      field('Total duration') === `${sample.total_duration_ms.toFixed(3)} ms`,
      `total duration ${field('Total duration')} (ms, 3 decimals)`
    );
    check(
      field('Eval duration') === `${sample.eval_duration_ms.toFixed(3)} ms`,
      `eval duration ${field('Eval duration')}`
    );
    check(
      /^\d+\.\d{3} ms$/.test(field('Prompt eval duration') ?? ''),
      `prompt eval duration ${field('Prompt eval duration')}`
    );
    check(/^\d+\.\d{3} ms$/.test(field('Load duration') ?? ''), `load duration ${field('Load duration')}`);
    check(field('Response tokens') === String(sample.eval_count), `response tokens ${field('Response tokens')}`);
    check(
      field('Prompt tokens') === String(sample.prompt_eval_count ?? '—'),
      `prompt tokens ${field('Prompt tokens')}`
    );
    const tps = (sample.eval_count / (sample.eval_duration_ms / 1000)).toFixed(2);
    check(
      field('Cold start') === (sample.cold_start ? 'yes (model loaded)' : 'no'),
      `cold start flag ${field('Cold start')}`
    );
    check(field('Tokens/s') === tps, `tokens/s ${field('Tokens/s')} = eval_count / (eval_duration_ms / 1000)`);

    const rows = drawer.locator('[data-testid="spc-context-table"] tbody tr');
    check((await rows.count()) === 21, `context table has ${await rows.count()} rows (±10)`);
    const highlighted = await rows.evaluateAll((trs) =>
      trs.map((tr, i) => (tr.getAttribute('aria-current') === 'true' ? i : -1)).filter((i) => i >= 0)
    );
    check(
      highlighted.length === 1 && highlighted[0] === 10,
      `the violating row (row ${highlighted[0] + 1} of 21) is highlighted`
    );

    const mini = drawer.locator('[data-testid="spc-mini-chart"]');
    const miniInfo = await mini.evaluate((svg) => ({
      points: svg.querySelectorAll('circle').length,
      focusFill: svg.querySelector('circle[data-violation="true"]')?.getAttribute('fill'),
      otherFill: svg.querySelector('circle:not([data-violation])[data-status="ok"]')?.getAttribute('fill'),
      limits: [...svg.querySelectorAll('[data-limit]')].map((g) => g.textContent),
    }));
    check(miniInfo.points === 61, `mini chart shows ${miniInfo.points} points (±30)`);
    check(
      miniInfo.limits.length === 3 &&
        /^UCL/.test(miniInfo.limits[0]) &&
        /^Mean/.test(miniInfo.limits[1]) &&
        /^LCL/.test(miniInfo.limits[2]),
      `mini chart has its own limits (${miniInfo.limits.join(', ')})`
    );
    const rgb = await page.evaluate((c) => {
      const el = document.createElement('div');
      el.style.color = c;
      document.body.appendChild(el);
      const value = getComputedStyle(el).color;
      el.remove();
      return value.match(/\d+/g).slice(0, 3).map(Number);
    }, miniInfo.focusFill);
    check(
      rgb[0] > 150 && rgb[0] > rgb[1] * 1.5 && rgb[0] > rgb[2],
      `the violation point is red (${miniInfo.focusFill}; others ${miniInfo.otherFill})`
    );

    const broken = await drawer.locator('[data-testid="spc-rule-broken"]').allInnerTexts();
    const expectedRules = data.violations
      .filter((v) => v.sample_id === sample.id)
      .map((v) => v.rule)
      .sort();
    check(
      broken.length === expectedRules.length && expectedRules.every((r) => broken.some((b) => b.startsWith(`${r} ·`))),
      `drawer explains every rule the point broke (${expectedRules.join(', ')})`
    );
    // Tall enough for the whole drawer: rules, telemetry, context table and mini chart.
    await page.setViewportSize({ width: 1440, height: 1400 });
    await mini.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'drawer.png') });
    log(`    screenshot ${path.relative(process.cwd(), path.join(screenshots, 'drawer.png'))}`);

    begin('Escape closes the drawer a click on a painted marker opened');
    // Focus is where the drawer put it (its Close button, tooltip shown): one Escape must close it.
    await page.keyboard.press('Escape');
    check(
      await drawer
        .waitFor({ state: 'detached', timeout: 5_000 })
        .then(() => true)
        .catch(() => false),
      'one Escape closed the drawer opened from the marker'
    );

    begin('the keyboard reaches the markers: the marker list, End, Enter opens the last one');
    await page.focus('[data-testid="spc-violation-markers"]');
    await page.keyboard.press('End');
    const last = markers[markers.length - 1];
    const active = Number(await page.locator('[data-testid="spc-violation-marker"]').getAttribute('data-sample-index'));
    check(active === last.index, `End makes the last marker (sample ${last.index}) the active option (${active})`);
    await page.keyboard.press('Enter');
    await drawer.waitFor({ timeout: 10_000 });
    const lastRow = await drawer.locator('[data-testid="spc-context-table"] tr[aria-current="true"]').innerText();
    check(
      lastRow.includes(new Date(data.samples[last.index].time).toISOString().slice(11, 23)),
      'Enter opened the drawer of that marker'
    );

    begin('hover: tooltip and the shared crosshair');
    // The Close button too (the other way out).
    await closeDrawer(page);
    await drawer.waitFor({ state: 'detached', timeout: 5_000 });
    const over = await page.locator('[data-testid="spc-control-chart"] .u-over').boundingBox();
    await page.mouse.move(target.x, over.y + over.height * 0.5);
    const tooltip = page.locator('[data-testid="spc-hover-tooltip"]');
    await tooltip.waitFor({ timeout: 5_000 });
    const tip = await tooltip.innerText();
    check(
      ['Latency', 'Status', 'Deviation', 'Rules'].every((label) => tip.includes(label)) && /\d+\.\d ms/.test(tip),
      `tooltip shows time, latency, status, deviation and rules (${tip.replace(/\s+/g, ' ').slice(0, 120)})`
    );
    const published = await page.evaluate(() => window.__hoverEvents.filter((e) => e.dataId !== 'another-panel'));
    check(
      published.length > 0 && typeof published[published.length - 1].point.time === 'number',
      `the hover is published on the panel's event bus (${published.length} DataHoverEvent)`
    );
    await page.mouse.move(0, 0);
    const t = data.samples[Math.floor(n / 3)].time;
    await page.evaluate((time) => window.__publishHover(time), t);
    const cursorLeft = await page.$eval(
      '[data-testid="spc-control-chart"] .u-cursor-x',
      (el) => el.getBoundingClientRect().left
    );
    const expectedLeft = over.x + ((t - Math.min(...times)) / (Math.max(...times) - Math.min(...times))) * over.width;
    check(
      Math.abs(cursorLeft - expectedLeft) < 3,
      `another panel's hover moves the crosshair to its time (x ${cursorLeft.toFixed(0)} vs ${expectedLeft.toFixed(0)})`
    );

    begin('drag on the chart sets the dashboard time range');
    const box = await page.locator('[data-testid="spc-control-chart"] .u-over').boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    const changes = await page.evaluate(() => window.__timeRangeChanges);
    check(
      changes.length === 1 && changes[0].to > changes[0].from,
      `onChangeTimeRange got ${changes.length === 1 ? `${new Date(changes[0].from).toISOString()} → ${new Date(changes[0].to).toISOString()}` : `${changes.length} calls`}`
    );

    begin('no page errors');
    check(
      pageErrors.length === 0,
      `no uncaught errors in the page${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`
    );

    begin('hostile model name, error text and note are shown as text, never run');
    await showsHostileTextLiterally({ browser, server, data, sampleIndex: target.index });
  } finally {
    await browser.close();
    await server.close();
  }
  log('passed');
}

// What a model server could have put in a stored row, had a name or error slipped past the
// collector's limits (docs/reliability.md, "Hostile data in the panel"): markup that runs
// script if rendered as HTML, and a spreadsheet formula.
const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>=cmd|' /C calc'!A0`;

/**
 * Renders the demo's rows in a fresh page with the hostile string as the series' model name,
 * the error text of the violating sample and the note of its violations, opens the drawer on
 * that sample and checks the string is shown literally and nothing from it became markup.
 */
async function showsHostileTextLiterally({ browser, server, data, sampleIndex }) {
  const sampleId = data.samples[sampleIndex].id;
  const samples = data.samples.map((s) => ({ ...s, model: HOSTILE, error: s.id === sampleId ? HOSTILE : s.error }));
  const violations = data.violations.map((v) => ({ ...v, note: HOSTILE }));
  const page = await browser.newPage({ viewport: { width: 1440, height: 1400 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(server.url);
    const times = samples.map((s) => s.time);
    await page.evaluate((args) => window.renderPanel(args), {
      moduleUrl: `/public/plugins/${PLUGIN_ID}/module.js`,
      width: WIDTH,
      height: HEIGHT,
      data: {
        model: 'hostile',
        from: Math.min(...times),
        to: Math.max(...times),
        sampleColumns: SAMPLE_COLUMNS,
        violationColumns: [...VIOLATION_COLUMNS, ['note', 'string']],
        samples,
        violations,
      },
    });
    await waitForMarkers(page);
    const marker = (await readMarkers(page)).find((m) => m.index === sampleIndex);
    check(marker !== undefined, `the hostile violation's marker is painted (sample ${sampleIndex})`);
    await clickMarker(page, marker);
    const drawer = page.locator('[data-testid="spc-violation-drawer"]');
    await drawer.waitFor({ timeout: 10_000 });
    const telemetry = await drawer.locator('[data-testid="spc-telemetry"]').innerText();
    const field = (label) => telemetry.match(new RegExp(`^${label}\\s+([^\\n]+)`, 'm'))?.[1]?.trim();
    check(field('Model') === HOSTILE, `the drawer shows the model name literally (${field('Model')})`);
    check(field('Error') === HOSTILE, 'the drawer shows the error text literally');
    const notes = await drawer.locator('[data-testid="spc-rule-broken"]').allInnerTexts();
    check(
      notes.length > 0 && notes.every((n) => n.includes(HOSTILE)),
      `every broken rule shows the note literally (${notes.length})`
    );
    const injected = await page.evaluate(() => ({
      images: document.querySelectorAll('img[src="x"], [onerror]').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
      pwned: typeof window.__pwned,
    }));
    check(
      injected.images === 0 && injected.scripts === 0,
      `no element made from the text (img[src=x] or [onerror]: ${injected.images}, injected scripts: ${injected.scripts})`
    );
    check(injected.pwned === 'undefined', `window.__pwned is ${injected.pwned}`);
    check(errors.length === 0, `no uncaught errors in the page${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  } finally {
    await page.close();
  }
}

main().catch((error) => {
  console.error(`e2e: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  process.exit(1);
});
