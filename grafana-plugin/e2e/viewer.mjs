// Browser test of the built-in viewer: a live `llmscope demo` serves the page and the
// panel's dist/module.js; headless Chromium opens it as a user would, read-only first, then
// with the API token (acknowledge with a note, re-baseline, clear violations).
// Run with `npm run e2e:viewer` (after `npm run build`). Prints one line per step; exits 1 on failure.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLiveDemo } from './liveDemo.mjs';
import { clickMarker, closeDrawer, readMarkers, waitForMarkers } from './markers.mjs';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.join(here, 'screenshots');
const TOKEN = 'viewer-e2e-token-0123';
const NOTE = 'checked by the viewer e2e';

let step = 0;
const log = (line) => console.log(`e2e viewer: ${line}`);
const begin = (what) => log(`[${++step}] ${what}`);

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  log(`    ok: ${message}`);
}

async function getJson(url, init) {
  const res = await fetch(url, init);
  const body = await res.json();
  if (!res.ok) {
    throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body)}`);
  }
  return body;
}

/** Waits until the demo has stored a series with violations; returns that series. */
async function seriesWithViolations(base) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { series } = await getJson(`${base}/api/series`);
    const busy = series
      .filter((s) => s.violations >= 3 && s.samples >= 150)
      .sort((a, b) => b.violations - a.violations)[0];
    if (busy) {
      return busy;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('no series with violations within 90 s of the demo starting');
}

async function main() {
  begin('live demo: `LLMSCOPE_API_TOKEN=… llmscope demo --interval 50ms --duration 0` into a fresh database');
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const demo = await startLiveDemo({ serverUrl, interval: '50ms', token: TOKEN, log });
  const base = demo.url;
  const browser = await launchChromium();
  const pageErrors = [];
  const consoleErrors = [];
  try {
    check(
      demo.lines.some((l) => l.includes(`open ${base}/ in a browser`)),
      'the demo tells the user where to open the viewer'
    );
    const series = await seriesWithViolations(base);
    log(
      `    series ${series.target} · ${series.model} · ${series.probe}: ${series.samples} samples, ${series.violations} violations`
    );

    begin('the viewer page loads the panel from dist/module.js, read-only');
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A Content-Security-Policy refusal shows up here: the page must need nothing the collector's policy forbids.
    // Grafana's web fonts are in no npm package: the page falls back to system fonts.
    const isFont = (url) => url.includes('/public/fonts/');
    page.on(
      'console',
      (msg) => msg.type() === 'error' && !isFont(msg.location().url) && consoleErrors.push(msg.text())
    );
    page.on(
      'response',
      (res) => res.status() >= 400 && !isFont(res.url()) && consoleErrors.push(`HTTP ${res.status()} for ${res.url()}`)
    );
    const requested = [];
    page.on('request', (req) => requested.push(req.url()));
    // A fixed window from the series' first probe: the demo's minute fills the chart's width.
    const range = `${series.first_at}..${new Date(Date.now() + 2000).toISOString()}`;
    const query = new URLSearchParams({ target: series.target, model: series.model, probe: series.probe, range });
    await page.goto(`${base}/?${query}`);
    const painted = await waitForMarkers(page, 30_000);
    check(painted > 0, `${painted} violation markers painted from the collector's API`);
    check(
      requested.some((u) => u === `${base}/public/plugins/llmscope-spc-panel/module.js`),
      'the panel came from /public/plugins/llmscope-spc-panel/module.js (the Grafana bundle)'
    );
    // The page's first script started the API requests before the bundles (docs/viewer.md):
    // the page took all four answers from it and asked for none of them again.
    const early = await page.evaluate(() => window.llmscopeEarly?.used());
    const apiCalls = requested.filter((u) => u.startsWith(`${base}/api/`)).map((u) => new URL(u).pathname);
    check(
      early === 4 && apiCalls.length === 4 && new Set(apiCalls).size === 4,
      `the first load's series, samples, violations and alerts came from the page's first script (${early} taken; ${apiCalls.join(', ')})`
    );
    const offsite = requested.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    check(
      offsite.length === 0,
      `every request went to the collector (${offsite.length} elsewhere${offsite.length ? `: ${offsite.slice(0, 3).join(', ')}` : ''})`
    );
    // The header's controls and the violations table come after the chart's first paint (docs/viewer.md).
    await page.getByLabel('Target').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="viewer-violation-row"]').first().waitFor({ timeout: 10_000 });
    const picked = await page.locator('header').innerText();
    check(
      picked.includes(series.model) && picked.includes(series.target) && picked.includes(series.probe),
      'the series picker shows the series from the address'
    );
    const rows = page.locator('[data-testid="viewer-violation-row"]');
    check((await rows.count()) > 0, `violation table lists ${await rows.count()} episodes`);
    check(
      await page.locator('[data-testid="viewer-clear"]').isDisabled(),
      'read-only: "Clear violations" is off without the token'
    );
    check(
      await rows.first().getByRole('button', { name: 'Acknowledge' }).isDisabled(),
      'read-only: "Acknowledge" is off without the token'
    );
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'viewer.png') });
    log(`    screenshot ${path.relative(process.cwd(), path.join(screenshots, 'viewer.png'))}`);

    begin('a marker opens the drawer, as in Grafana');
    const markers = await readMarkers(page);
    // Like a user, click the marker that stands most apart, away from the right edge where the
    // new-alert toasts sit over the chart.
    const room = (m) => Math.min(...markers.filter((o) => o !== m).map((o) => Math.hypot(o.x - m.x, o.y - m.y)));
    const rightEdge = Math.max(...markers.map((m) => m.x));
    const clear = markers.filter((m) => m.x < rightEdge - 200);
    const target = (clear.length > 0 ? clear : markers).sort((a, b) => room(b) - room(a))[0];
    await clickMarker(page, target);
    const drawer = page.locator('[data-testid="spc-violation-drawer"]');
    await drawer.waitFor({ timeout: 10_000 });
    const current = await drawer.locator('[data-testid="spc-context-table"] tr[aria-current="true"]').innerText();
    const announced = target.label.match(/at \d{4}-\d\d-\d\d (\d\d:\d\d:\d\d\.\d{3})/)?.[1];
    check(announced !== undefined && current.includes(announced), `the drawer is the clicked marker's (${announced})`);
    check(
      (await drawer.locator('[data-testid="spc-rule-broken"]').count()) > 0,
      'the drawer explains the rules broken'
    );
    const telemetry = await drawer.locator('[data-testid="spc-telemetry"]').innerText();
    const timing = (label) => telemetry.match(new RegExp(`${label}\\s+([^\\n]+)`))?.[1]?.trim();
    check(
      ['Total duration', 'Load duration', 'Prompt eval duration', 'Eval duration'].every((label) =>
        /^\d+\.\d{3} ms$/.test(timing(label) ?? '')
      ),
      `the drawer shows Ollama's timings from the API (total ${timing('Total duration')}, eval ${timing('Eval duration')})`
    );
    await page.screenshot({ path: path.join(screenshots, 'viewer-drawer.png') });
    await closeDrawer(page);
    await drawer.waitFor({ state: 'detached', timeout: 5_000 });

    begin('the time range and refresh reload from the API');
    const before = await page.locator('[data-testid="viewer-panel"]').innerText();
    await page.getByRole('radio', { name: '5m', exact: true }).check({ force: true });
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('range') === '5m', null, {
      timeout: 10_000,
    });
    check(new URL(page.url()).searchParams.get('range') === '5m', 'the 5m range is in the address bar');
    await page.getByTestId('viewer-refresh').click();
    await waitForMarkers(page, 30_000);
    check(
      (await page.locator('[data-testid="viewer-panel"]').innerText()).length > 0 && before.length > 0,
      'the panel is drawn again after a refresh'
    );

    begin('with the API token: acknowledge with a note');
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByTestId('viewer-token-apply').click();
    const id = Number(await rows.first().getAttribute('data-violation-id'));
    // By its id, not as "the first row": the live demo can put a newer episode on top meanwhile.
    const row = page.locator(`[data-testid="viewer-violation-row"][data-violation-id="${id}"]`);
    await page.getByLabel(`Note for violation ${id}`).fill(NOTE);
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Violation acknowledged').first().waitFor({ timeout: 10_000 });
    const acked = (await getJson(`${base}/api/violations/${id}`)).violation;
    check(
      acked.acknowledged_at !== null && acked.note === NOTE,
      `violation ${id} is acknowledged in the database with the note "${acked.note}"`
    );

    begin('re-baseline the series (confirmed)');
    await page.getByTestId('viewer-rebaseline').click();
    await page.getByRole('button', { name: 'Re-baseline', exact: true }).click();
    await page.getByText('Baseline reset').first().waitFor({ timeout: 10_000 });
    check(true, 'the collector answered the reset');

    begin('"Clear violations" asks first, then deletes the series\' violations');
    await page.getByTestId('viewer-clear').click();
    const modal = page.getByRole('dialog');
    await modal.waitFor({ timeout: 5_000 });
    check((await modal.innerText()).includes('cannot be undone'), 'a confirmation names the consequence');
    await page.screenshot({ path: path.join(screenshots, 'viewer-clear.png') });
    const clearedAt = new Date().toISOString();
    await modal.getByRole('button', { name: 'Clear violations' }).click();
    await page.getByText('Violations cleared').first().waitFor({ timeout: 10_000 });
    const left = await getJson(
      `${base}/api/violations?${new URLSearchParams({ target: series.target, model: series.model, probe: series.probe, to: clearedAt })}`
    );
    check(
      left.violations.length === 0,
      `no violation of the series from before the clear is left (${left.violations.length})`
    );

    begin('no page errors, no refused resources');
    check(
      pageErrors.length === 0,
      `no uncaught errors in the page${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`
    );
    check(
      consoleErrors.length === 0,
      `no console errors (CSP refusals included)${consoleErrors.length ? `: ${consoleErrors.slice(0, 5).join(' | ')}` : ''}`
    );
  } finally {
    await browser.close();
    await demo.stop();
  }
  log('passed');
}

main().catch((error) => {
  console.error(`e2e viewer: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  process.exit(1);
});
