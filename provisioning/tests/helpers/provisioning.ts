// Typed views of the provisioning files the tests compare with each other.
import { readdirSync } from 'node:fs';
import { readRepoJson, readRepoYaml, repoPath } from './repo.js';

export interface DatasourceRef {
  type?: string;
  uid?: string;
}
export interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  user?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}
export interface DashboardTarget {
  refId: string;
  datasource?: DatasourceRef;
  rawSql?: string;
  rawQuery?: boolean;
  editorMode?: string;
  expr?: string;
  format?: string;
}
export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: DatasourceRef;
  targets?: DashboardTarget[];
  gridPos: { h: number; w: number; x: number; y: number };
}
export interface DashboardVariable {
  name: string;
  type: string;
  datasource?: DatasourceRef;
  query?: string;
}
export interface DashboardAnnotation {
  name: string;
  datasource?: DatasourceRef;
  target?: DashboardTarget;
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
  annotations: { list: DashboardAnnotation[] };
}
export interface GrafanaAlertQuery {
  refId: string;
  datasourceUid: string;
  model: { refId: string; expr?: string; type?: string; expression?: string };
}
export interface GrafanaAlertRule {
  uid: string;
  title: string;
  condition: string;
  data: GrafanaAlertQuery[];
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface PrometheusAlertRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export const DASHBOARD_FILE = 'provisioning/dashboards/llmscope.json';

export function datasources(): Datasource[] {
  return (readRepoYaml('provisioning/datasources/datasources.yaml') as { datasources: Datasource[] }).datasources;
}

export function dashboardFiles(): string[] {
  return readdirSync(repoPath('provisioning/dashboards'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `provisioning/dashboards/${f}`);
}

export function dashboard(file = DASHBOARD_FILE): Dashboard {
  return readRepoJson(file) as Dashboard;
}

export function grafanaAlertRules(): GrafanaAlertRule[] {
  const file = readRepoYaml('provisioning/alerting/rules.yaml') as { groups: { rules: GrafanaAlertRule[] }[] };
  return file.groups.flatMap((g) => g.rules);
}

export function prometheusAlertRules(): PrometheusAlertRule[] {
  const file = readRepoYaml('provisioning/prometheus/rules.yml') as { groups: { rules: PrometheusAlertRule[] }[] };
  return file.groups.flatMap((g) => g.rules);
}

/** Every datasource reference in a dashboard, with where it was found. */
export function datasourceRefs(d: Dashboard): { where: string; ref: DatasourceRef | undefined }[] {
  const refs: { where: string; ref: DatasourceRef | undefined }[] = [];
  for (const panel of d.panels) {
    refs.push({ where: `panel ${panel.id} '${panel.title}'`, ref: panel.datasource });
    for (const t of panel.targets ?? []) refs.push({ where: `panel ${panel.id} target ${t.refId}`, ref: t.datasource ?? panel.datasource });
  }
  for (const v of d.templating.list) if (v.type === 'query') refs.push({ where: `variable $${v.name}`, ref: v.datasource });
  for (const a of d.annotations.list) {
    if (a.datasource?.type === 'grafana') continue;
    refs.push({ where: `annotation '${a.name}'`, ref: a.datasource });
  }
  return refs;
}

/** Every SQL statement of a dashboard: panel targets, query variables, annotations. */
export function dashboardSql(d: Dashboard): { where: string; sql: string; panelType?: string; refId?: string }[] {
  const out: { where: string; sql: string; panelType?: string; refId?: string }[] = [];
  for (const panel of d.panels) {
    for (const t of panel.targets ?? []) {
      if (t.rawSql) out.push({ where: `panel ${panel.id} '${panel.title}' ${t.refId}`, sql: t.rawSql, panelType: panel.type, refId: t.refId });
    }
  }
  for (const v of d.templating.list) {
    if (v.type === 'query' && v.query && v.datasource?.type === 'grafana-postgresql-datasource') out.push({ where: `variable $${v.name}`, sql: v.query });
  }
  for (const a of d.annotations.list) if (a.target?.rawSql) out.push({ where: `annotation '${a.name}'`, sql: a.target.rawSql });
  return out;
}

/** $VAR and ${VAR} references, which Grafana expands from its environment in provisioning files. */
export function envReferences(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)\}?/g)].map((m) => m[1] ?? '');
}

/** Every PromQL expression of a dashboard's panels. */
export function dashboardPromQL(d: Dashboard): { where: string; expr: string }[] {
  return d.panels.flatMap((panel) =>
    (panel.targets ?? [])
      .filter((t) => t.expr && (t.datasource ?? panel.datasource)?.type === 'prometheus')
      .map((t) => ({ where: `panel ${panel.id} '${panel.title}' ${t.refId}`, expr: t.expr ?? '' })),
  );
}
