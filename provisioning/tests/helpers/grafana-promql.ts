// Turns a dashboard's PromQL into what Grafana sends to Prometheus: single-value template
// variables are inserted as they are (the Prometheus datasource escapes only multi-value
// variables, as regex alternatives), $__rate_interval and friends become durations.

export interface PromQueryContext {
  variables: Record<string, string>;
  /** Grafana's $__rate_interval: max(4 × scrape interval, $__interval + scrape interval). */
  rateInterval: string;
  interval: string;
  range: string;
}

export function grafanaPromQL(expr: string, ctx: PromQueryContext): string {
  const builtIn: Record<string, string> = {
    __rate_interval: ctx.rateInterval,
    __interval: ctx.interval,
    __range: ctx.range,
  };
  const out = expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => builtIn[name] ?? ctx.variables[name] ?? whole);
  const leftover = /\$\{?\w+/.exec(out);
  if (leftover) throw new Error(`unreplaced Grafana variable '${leftover[0]}' in: ${out}`);
  return out;
}
