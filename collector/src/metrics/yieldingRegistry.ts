// A prom-client Registry whose text exposition comes in pieces, the event loop turning between
// them. The stock metrics() renders every metric in one go: at 1 000 series (65 000 lines, 7 MB)
// that held the loop for about 2 s per scrape (docs/performance.md), and every probe due
// meanwhile started late. Rendering a metric at a time still held it for the largest metric (a
// histogram, 17 000 lines, 1.9 MB: one string big enough to go straight to V8's old
// generation), so each metric is cut into pieces of PIECE_LINES lines. Each piece is rendered
// by prom-client itself, so the text is the same, byte for byte; /metrics writes the pieces to
// the response as they come instead of joining them (docs/scaling.md, "Prometheus cardinality").
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** ~50 KB of text: a short hold of the loop, and a string small enough for the young generation. */
const PIECE_LINES = 500;

type Values = MetricObjectWithValues<MetricValue<string>>;

/** prom-client's per-metric renderer, and the histogram getter it prefers; public in its JS, missing from its type declarations. */
interface Renderer {
  getMetricsAsString(metric: { get(): Promise<Values> }): Promise<string>;
}
interface PromStringSource {
  getForPromString?(): Promise<Values>;
  get(): Promise<Values> | Values;
}

/** The text after the `# HELP` and `# TYPE` lines. */
function withoutHeader(text: string): string {
  return text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1);
}

export class YieldingRegistry extends Registry {
  /** The exposition in the text format, in pieces; joined, exactly what prom-client's metrics() returns. */
  async *exposition(): AsyncGenerator<string> {
    const renderer = this as unknown as Renderer;
    let first = true;
    for (const metric of this.getMetricsAsArray() as unknown as PromStringSource[]) {
      await nextTurn();
      const whole = await (metric.getForPromString ? metric.getForPromString() : metric.get());
      const values = whole.values ?? [];
      for (let from = 0; from === 0 || from < values.length; from += PIECE_LINES) {
        if (from > 0) await nextTurn();
        const piece = { ...whole, values: values.slice(from, from + PIECE_LINES) };
        const text = await renderer.getMetricsAsString({ get: async () => piece });
        if (from > 0) yield `\n${withoutHeader(text)}`;
        else yield first ? text : `\n\n${text}`;
        first = false;
      }
    }
    yield '\n';
  }

  override async metrics(): Promise<string> {
    // OpenMetrics renames counters and ends with # EOF: left to prom-client (the collector uses the text format).
    if (this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return super.metrics();
    let text = '';
    for await (const piece of this.exposition()) text += piece;
    return text;
  }
}
