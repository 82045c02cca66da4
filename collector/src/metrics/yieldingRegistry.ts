// A prom-client Registry whose exposition gives the event loop back between metrics. The stock
// metrics() renders every metric in one go: at 1 000 series (62 000 lines) that held the loop
// for about 2 s per scrape (docs/performance.md), and every probe due meanwhile started late.
// Here each metric is rendered by prom-client itself (same text, byte for byte) and a
// setImmediate turn separates it from the next, so probes interleave with a scrape; the longest
// hold left is the largest single metric (docs/scaling.md, "Prometheus cardinality").
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Registry } from 'prom-client';

/** prom-client's per-metric renderer; public in its JS, missing from its type declarations. */
interface MetricRenderer {
  getMetricsAsString(metric: unknown): Promise<string>;
}

export class YieldingRegistry extends Registry {
  override async metrics(): Promise<string> {
    // OpenMetrics renames counters and ends with # EOF: left to prom-client (the collector uses the text format).
    if (this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return super.metrics();
    const rendered: string[] = [];
    for (const metric of this.getMetricsAsArray()) {
      await nextTurn();
      rendered.push(await (this as unknown as MetricRenderer).getMetricsAsString(metric));
    }
    return `${rendered.join('\n\n')}\n`;
  }
}
