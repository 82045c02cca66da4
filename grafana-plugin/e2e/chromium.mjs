// Debian's headless Chromium as the browser tests and the panel/viewer benchmarks start it.
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `exposeGc`: pages get `window.gc()`, for benchmarks that start their clock on a collected heap. */
export function launchChromium({ exposeGc = false } = {}) {
  const args = exposeGc ? [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: '/usr/bin/chromium', args });
}
