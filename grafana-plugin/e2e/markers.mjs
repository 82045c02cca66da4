// The panel paints its violation markers on the chart's canvas; a page reaches them the way a
// keyboard user does, through the one marker list (role listbox) whose active option is the
// marker announced. These helpers read every marker that way and click one where it is drawn.

const LAYER = '[data-testid="spc-violation-markers"]';

/** Waits until the chart painted at least one marker; resolves with how many it painted. */
export async function waitForMarkers(page, timeout = 20_000) {
  const handle = await page.waitForFunction(
    (layer) =>
      Number(document.querySelector(layer)?.dataset.count) > 0 && Number(document.querySelector(layer).dataset.count),
    LAYER,
    { timeout }
  );
  return handle.jsonValue();
}

/**
 * Every painted marker, in time order, as the keyboard reaches it (Home, then ArrowRight):
 * sample index, severity, whether it is ringed as part of an alert, its accessible name and
 * its centre in page coordinates.
 */
export function readMarkers(page) {
  return page.evaluate(async (layerSelector) => {
    const layer = document.querySelector(layerSelector);
    const out = [];
    const count = Number(layer.dataset.count);
    for (let k = 0; k < count; k++) {
      layer.dispatchEvent(new KeyboardEvent('keydown', { key: k === 0 ? 'Home' : 'ArrowRight', bubbles: true }));
      // React 18 renders the key's update in a microtask: the option is current after a task.
      await new Promise((resolve) => setTimeout(resolve));
      const option = layer.querySelector('[role="option"]');
      const r = option.getBoundingClientRect();
      out.push({
        index: Number(option.dataset.sampleIndex),
        severity: option.dataset.severity,
        alerted: option.dataset.alerted === 'true',
        label: option.getAttribute('aria-label'),
        x: r.x + r.width / 2,
        y: r.y + r.height / 2,
      });
    }
    return out;
  }, LAYER);
}

/** A real mouse click where the marker is painted: the panel's hit test must find it. */
export async function clickMarker(page, marker) {
  await page.mouse.click(marker.x, marker.y);
}

/** Closes the drawer with its Close button (run.mjs checks Escape as well). */
export async function closeDrawer(page) {
  await page.getByTestId('data-testid Drawer close').click();
}
