// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
// The scaffold stubs getContext with a no-op; uPlot needs a working 2D context.
import 'jest-canvas-mock';

// jsdom has no layout observers; @grafana/ui components (Drawer, uPlot) construct them.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.assign(global, { ResizeObserver: NoopObserver, IntersectionObserver: NoopObserver });
