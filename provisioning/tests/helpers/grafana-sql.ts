// Turns a dashboard's SQL into what Grafana sends to Postgres: the frontend replaces template
// variables (single-value variables of a SQL datasource are inserted with quotes doubled and
// no surrounding quotes), then the backend's Postgres macro engine expands $__macros.
// Mirrors grafana/pkg/tsdb/grafana-postgresql-datasource/macros.go and the SQL datasource's
// interpolateVariable().

export interface GrafanaQueryContext {
  from: Date;
  to: Date;
  /** Grafana's $__interval, e.g. '1m', '30s', '500ms'. */
  interval: string;
  /** Dashboard template variables (single values). */
  variables: Record<string, string>;
}

const VARIABLE_PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/** Interval strings as Grafana's gtime.ParseInterval reads them, in seconds. */
export function intervalSeconds(interval: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(interval.trim());
  if (!match) throw new Error(`not a Grafana interval: '${interval}'`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 }[match[2] as 'ms'];
  return Number(match[1]) * unit;
}

function builtInVariables(ctx: GrafanaQueryContext): Record<string, string> {
  const ms = Math.round(intervalSeconds(ctx.interval) * 1000);
  return { __interval: ctx.interval, __interval_ms: String(ms) };
}

export function interpolateVariables(sql: string, ctx: GrafanaQueryContext): string {
  const values = { ...ctx.variables, ...builtInVariables(ctx) };
  return sql.replace(VARIABLE_PATTERN, (whole, plain?: string, bracket?: string, _fmt?: string, braced?: string) => {
    const name = plain ?? bracket ?? braced ?? '';
    const value = values[name];
    // Unknown names (the $__macros among them) are left for the backend, as Grafana does.
    if (value === undefined) return whole;
    return name.startsWith('__') ? value : value.replace(/'/g, "''");
  });
}

function rfc3339(date: Date): string {
  return date.toISOString();
}

/** Splits macro arguments on top-level commas. */
function macroArgs(raw: string): string[] {
  return raw.trim() === '' ? [] : raw.split(',').map((a) => a.trim());
}

function expandMacro(name: string, args: string[], ctx: GrafanaQueryContext): string {
  const from = `'${rfc3339(ctx.from)}'`;
  const to = `'${rfc3339(ctx.to)}'`;
  const column = (): string => {
    if (!args[0]) throw new Error(`missing time column argument for macro ${name}`);
    return args[0];
  };
  switch (name) {
    case '__time':
      return `${column()} AS "time"`;
    case '__timeEpoch':
      return `extract(epoch from ${column()}) AS "time"`;
    case '__timeFilter':
      return `${column()} BETWEEN ${from} AND ${to}`;
    case '__timeFrom':
      return from;
    case '__timeTo':
      return to;
    case '__timeGroup':
    case '__timeGroupAlias': {
      if (args.length < 2) throw new Error(`macro ${name} needs time column and interval`);
      const seconds = intervalSeconds((args[1] ?? '').replace(/^'|'$/g, ''));
      const group = `floor(extract(epoch from ${column()})/${seconds})*${seconds}`;
      return name === '__timeGroupAlias' ? `${group} AS "time"` : group;
    }
    case '__unixEpochFilter':
      return `${column()} >= ${Math.floor(ctx.from.getTime() / 1000)} AND ${column()} <= ${Math.floor(ctx.to.getTime() / 1000)}`;
    case '__unixEpochFrom':
      return String(Math.floor(ctx.from.getTime() / 1000));
    case '__unixEpochTo':
      return String(Math.floor(ctx.to.getTime() / 1000));
    default:
      throw new Error(`unknown Grafana macro $${name}`);
  }
}

export function expandMacros(sql: string, ctx: GrafanaQueryContext): string {
  return sql.replace(/\$(__\w+)\(([^)]*)\)/g, (_whole, name: string, raw: string) => expandMacro(name, macroArgs(raw), ctx));
}

/** The SQL Postgres receives from Grafana for this dashboard query. */
export function grafanaSql(sql: string, ctx: GrafanaQueryContext): string {
  const out = expandMacros(interpolateVariables(sql, ctx), ctx);
  const leftover = /\$\{?\w+/.exec(out);
  if (leftover) throw new Error(`unreplaced Grafana variable or macro '${leftover[0]}' in:\n${out}`);
  return out;
}
