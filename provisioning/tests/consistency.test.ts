// The compose file and the provisioning files parse and agree with each other and with the
// rest of the repository: plugin id, datasource uids, ports, mounted paths, alert rules.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerPorts, mounts, readCompose, service, withComposeDefaults } from './helpers/compose.js';
import {
  dashboard,
  dashboardFiles,
  datasourceRefs,
  datasources,
  envReferences,
  grafanaAlertRules,
  prometheusAlertRules,
} from './helpers/provisioning.js';
import { readRepoJson, readRepoText, readRepoYaml, repoPath, repoPathExists } from './helpers/repo.js';

const pluginJson = readRepoJson('grafana-plugin/src/plugin.json') as {
  id: string;
  dependencies: { grafanaDependency: string };
};
const compose = readCompose();

function yamlFiles(dir: string): string[] {
  return readdirSync(repoPath(dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(repoPath(rel)).isDirectory()) return yamlFiles(rel);
    return /\.ya?ml$/.test(name) ? [rel] : [];
  });
}

describe('every file parses', () => {
  it.each([...yamlFiles('provisioning'), 'docker-compose.yml'])('%s is valid YAML', (file) => {
    expect(readRepoYaml(file)).toBeTypeOf('object');
  });
  it.each(dashboardFiles())('%s is valid JSON with a uid and panels', (file) => {
    const d = dashboard(file);
    expect(d.uid).toMatch(/^[\w-]{1,40}$/);
    expect(d.panels.length).toBeGreaterThan(0);
  });
});

describe('datasources', () => {
  const ds = datasources();
  const byUid = new Map(ds.map((d) => [d.uid, d]));

  it('have unique uids and the two types the stack uses', () => {
    expect(byUid.size).toBe(ds.length);
    expect(ds.map((d) => d.type).sort()).toEqual(['grafana-postgresql-datasource', 'prometheus']);
  });

  it.each(dashboardFiles())('are the ones every panel, query, variable and annotation of %s uses', (file) => {
    const refs = datasourceRefs(dashboard(file));
    expect(refs.length).toBeGreaterThan(0);
    for (const { where, ref } of refs) {
      expect(ref?.uid, `${where} has no datasource uid`).toBeTypeOf('string');
      const target = byUid.get(ref?.uid ?? '');
      expect(target, `${where} names datasource uid '${ref?.uid}' that datasources.yaml does not provision`).toBeDefined();
      expect(ref?.type, `${where}: type of '${ref?.uid}'`).toBe(target?.type);
    }
  });

  it('point at the compose services with the environment the grafana service sets', () => {
    const grafana = service(compose, 'grafana');
    const env = grafana.environment ?? {};
    const expand = (v: string) => v.replace(/\$\{?([A-Z][A-Z0-9_]*)\}?/g, (_w, name: string) => env[name] ?? `<unset ${name}>`);
    const pg = ds.find((d) => d.type === 'grafana-postgresql-datasource');
    const prom = ds.find((d) => d.type === 'prometheus');
    const postgres = service(compose, 'postgres');
    expect(expand(pg?.url ?? '')).toBe(`postgres:${containerPorts(postgres)[0]}`);
    // Grafana reads as the read-only role that provisioning/postgres/ creates, not as the owner.
    expect(expand(pg?.user ?? '')).toBe(postgres.environment?.GRAFANA_DB_USER);
    expect(expand(pg?.user ?? '')).not.toBe(postgres.environment?.POSTGRES_USER);
    expect(expand(String(pg?.jsonData?.database))).toBe(postgres.environment?.POSTGRES_DB);
    expect(expand(pg?.secureJsonData?.password ?? '')).toBe(postgres.environment?.GRAFANA_DB_PASSWORD);
    const initScripts = mounts(postgres).find((m) => m.target === '/docker-entrypoint-initdb.d');
    expect(initScripts?.source).toBe('./provisioning/postgres');
    expect(repoPathExists('provisioning/postgres/10-grafana-reader.sh')).toBe(true);
    expect(expand(prom?.url ?? '')).toBe(`http://prometheus:${containerPorts(service(compose, 'prometheus'))[0]}`);
  });
});

describe('provisioning files reference only environment the grafana service sets', () => {
  const env = service(compose, 'grafana').environment ?? {};
  it.each([...yamlFiles('provisioning/datasources'), ...yamlFiles('provisioning/alerting')])('%s', (file) => {
    for (const name of envReferences(readRepoText(file))) {
      expect(env[name], `${file} uses $${name}, which docker-compose.yml does not give the grafana service`).toBeTruthy();
    }
  });
});

describe('the dashboard', () => {
  const d = dashboard();

  it('shows the LLMscope SPC panel with a samples, a violations and an alerts query', () => {
    const spc = d.panels.filter((p) => p.type === pluginJson.id);
    expect(spc).toHaveLength(1);
    expect(spc[0]?.targets?.map((t) => t.refId)).toEqual(['samples', 'violations', 'alerts']);
  });

  it('has target, model and probe variables from SQL, each narrowing the next', () => {
    const vars = d.templating.list;
    expect(vars.map((v) => v.name)).toEqual(['target', 'model', 'probe']);
    expect(vars.every((v) => v.type === 'query' && v.datasource?.type === 'grafana-postgresql-datasource')).toBe(true);
    expect(vars[1]?.query).toContain("'$target'");
    expect(vars[2]?.query).toContain("'$model'");
  });

  it('has the Prometheus panels for tokens/s, TTFT, failed requests, GPU and CPU', () => {
    const exprs = d.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr ?? '');
    for (const metric of [
      'llmscope_probe_tokens_per_second',
      'llmscope_probe_ttft_seconds_bucket',
      'llmscope_probe_requests_total',
      'llmscope_gpu_utilization_ratio',
      'llmscope_gpu_memory_used_bytes',
      'llmscope_host_cpu_utilization_ratio',
      'llmscope_host_memory_utilization_ratio',
    ]) {
      expect(exprs.some((e) => e.includes(metric)), `no panel queries ${metric}`).toBe(true);
    }
  });

  it('has a table of recent violations', () => {
    const tables = d.panels.filter((p) => p.type === 'table');
    expect(tables.some((p) => (p.targets ?? []).some((t) => /FROM violations/.test(t.rawSql ?? '')))).toBe(true);
  });

  it('keeps its SQL as raw code queries, with refIds unique within each panel', () => {
    for (const panel of d.panels) {
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, `panel ${panel.id} repeats a refId`).toBe(refIds.length);
      for (const t of panel.targets ?? []) {
        if (t.rawSql === undefined) continue;
        // Builder mode would rebuild the query from its visual model and drop our SQL.
        expect(t, `panel ${panel.id} ${t.refId}`).toMatchObject({ rawQuery: true, editorMode: 'code' });
        expect(['table', 'time_series']).toContain(t.format);
      }
    }
  });

  it('lays panels out without overlaps inside the 24-column grid', () => {
    const cells = new Set<string>();
    for (const { id, gridPos: g } of d.panels) {
      expect(g.x + g.w, `panel ${id} is wider than the grid`).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          const key = `${x},${y}`;
          expect(cells.has(key), `panel ${id} overlaps another at ${key}`).toBe(false);
          cells.add(key);
        }
      }
    }
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
  });
});

describe('alerting', () => {
  const grafanaRules = grafanaAlertRules();
  const promRules = prometheusAlertRules();
  const dsUids = new Set(datasources().map((d) => d.uid));

  it('Grafana rules query only provisioned datasources or expressions, and their condition exists', () => {
    for (const rule of grafanaRules) {
      for (const q of rule.data) {
        expect(q.datasourceUid === '__expr__' || dsUids.has(q.datasourceUid), `${rule.title}: ${q.datasourceUid}`).toBe(true);
      }
      expect(rule.data.map((q) => q.refId)).toContain(rule.condition);
    }
  });

  it('Grafana and Prometheus rules are the same alerts: same query, threshold > 0, labels and texts', () => {
    expect(grafanaRules).toHaveLength(promRules.length);
    for (const prom of promRules) {
      const twin = grafanaRules.find((g) => g.labels.severity === prom.labels.severity);
      expect(twin, `no Grafana rule with severity ${prom.labels.severity}`).toBeDefined();
      const expr = twin?.data.find((q) => q.model.expr)?.model.expr;
      expect(`${expr} > 0`).toBe(prom.expr);
      const threshold = twin?.data.find((q) => q.model.type === 'threshold');
      expect(threshold?.model).toMatchObject({ conditions: [{ evaluator: { type: 'gt', params: [0] } }] });
      expect(twin?.annotations.summary).toBe(prom.annotations.summary);
      expect(twin?.annotations.description).toBe(prom.annotations.description);
    }
  });

  it('page on the alert policy (docs/alerting.md), not on chart rule episodes: critical and warning, naming the model', () => {
    for (const severity of ['critical', 'warning']) {
      const rule = promRules.find((r) => r.labels.severity === severity);
      expect(rule?.expr).toContain(`llmscope_alert_active{severity="${severity}"}`);
      expect(rule?.expr).toContain(`increase(llmscope_alerts_total{severity="${severity}"}[5m])`);
    }
    for (const rule of promRules) {
      expect(rule.expr).not.toContain('llmscope_spc_violations_total');
      expect(rule.expr).toMatch(/by \(target, model, probe\)/);
      expect(rule.annotations.summary).toContain('{{ $labels.model }}');
    }
  });

  it('Grafana rules live in the folder the dashboard provider fills, both found by title', () => {
    const provider = readRepoYaml('provisioning/dashboards/dashboards.yaml') as { providers: { folder: string; folderUid?: string }[] };
    const groups = (readRepoYaml('provisioning/alerting/rules.yaml') as { groups: { folder: string }[] }).groups;
    for (const g of groups) expect(g.folder).toBe(provider.providers[0]?.folder);
    expect(provider.providers[0]?.folderUid).toBeUndefined();
  });

  it('Grafana rules link to the dashboard and its SPC panel', () => {
    const d = dashboard();
    const spcPanel = d.panels.find((p) => p.type === pluginJson.id);
    for (const rule of grafanaRules) {
      expect(rule.annotations.__dashboardUid__).toBe(d.uid);
      expect(rule.annotations.__panelId__).toBe(String(spcPanel?.id));
    }
  });

  it('the notification policy sends to a provisioned contact point that the collector receives', () => {
    const cps = readRepoYaml('provisioning/alerting/contact-points.yaml') as {
      contactPoints: { name: string; receivers: { type: string; settings: { url: string } }[] }[];
    };
    const policies = readRepoYaml('provisioning/alerting/notification-policies.yaml') as { policies: { receiver: string }[] };
    const names = cps.contactPoints.map((c) => c.name);
    for (const p of policies.policies) expect(names).toContain(p.receiver);
    const env = service(compose, 'grafana').environment ?? {};
    const url = new URL(env.LLMSCOPE_ALERT_WEBHOOK_URL ?? '');
    expect(url.hostname).toBe('collector');
    expect(Number(url.port)).toBe(Number(service(compose, 'collector').environment?.LLMSCOPE_PORT));
    expect(cps.contactPoints[0]?.receivers[0]?.type).toBe('webhook');
  });
});

describe('docker-compose.yml', () => {
  const grafana = service(compose, 'grafana');
  const collector = service(compose, 'collector');

  it('runs the five services of the stack', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['ollama', 'postgres', 'prometheus', 'grafana', 'collector']));
  });

  it('mounts the panel plugin under its id and allows that unsigned plugin only', () => {
    const plugin = mounts(grafana).find((m) => m.target.startsWith('/var/lib/grafana/plugins/'));
    expect(plugin?.target).toBe(`/var/lib/grafana/plugins/${pluginJson.id}`);
    expect(plugin?.source).toBe('./grafana-plugin/dist');
    expect(plugin?.readOnly).toBe(true);
    // An unbuilt plugin must stop compose with a clear error, not leave an empty root-owned dist/.
    expect(plugin?.createsHostPath).toBe(false);
    expect(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(pluginJson.id);
    // dist/ is the plugin build's output folder (create-plugin's DIST_DIR).
    expect(readRepoText('grafana-plugin/.config/bundler/constants.ts')).toMatch(/DIST_DIR\s*=\s*'dist'/);
  });

  it('mounts provisioning folders that exist, where Grafana and Prometheus read them', () => {
    const hostPaths = Object.values(compose.services).flatMap((svc) => mounts(svc)).filter((m) => !m.named);
    for (const m of hostPaths) {
      if (m.source === './grafana-plugin/dist') continue; // a build output, checked above
      expect(repoPathExists(m.source), `${m.source} is mounted but not in the repository`).toBe(true);
      expect(m.readOnly, `${m.source} should be mounted read-only`).toBe(true);
    }
    const grafanaTargets = Object.fromEntries(mounts(grafana).map((m) => [m.source, m.target]));
    for (const kind of ['datasources', 'dashboards', 'alerting']) {
      expect(grafanaTargets[`./provisioning/${kind}`]).toBe(`/etc/grafana/provisioning/${kind}`);
    }
    const provider = readRepoYaml('provisioning/dashboards/dashboards.yaml') as { providers: { options: { path: string } }[] };
    expect(provider.providers[0]?.options.path).toBe('/etc/grafana/provisioning/dashboards');
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe('/etc/grafana/provisioning/dashboards/llmscope.json');
    expect(repoPathExists('provisioning/dashboards/llmscope.json')).toBe(true);
  });

  it('gives Prometheus its config and scrapes the collector service on its port', () => {
    const prometheus = service(compose, 'prometheus');
    const configMount = mounts(prometheus).find((m) => m.source === './provisioning/prometheus');
    expect(configMount?.target).toBe('/etc/prometheus');
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const config = readRepoYaml('provisioning/prometheus/prometheus.yml') as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const port = collector.environment?.LLMSCOPE_PORT;
    expect(containerPorts(collector)).toEqual([Number(port)]);
    expect(config.scrape_configs.flatMap((s) => s.static_configs.flatMap((c) => c.targets))).toEqual([`collector:${port}`]);
    expect(config.scrape_configs[0]?.metrics_path).toBe('/metrics');
    for (const f of config.rule_files) expect(repoPathExists(`provisioning/prometheus/${f}`)).toBe(true);
  });

  it('starts services in order: every dependency has a condition, and healthy ones have a health check', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
        expect(Object.keys(compose.services), `${name} depends on unknown ${dep}`).toContain(dep);
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(service(compose, dep).healthcheck, `${dep} has no healthcheck`).toBeDefined();
      }
    }
    expect(Object.keys(collector.depends_on ?? {})).toEqual(expect.arrayContaining(['postgres', 'ollama']));
    expect(Object.keys(grafana.depends_on ?? {})).toEqual(expect.arrayContaining(['postgres', 'prometheus']));
  });

  it('points the collector at the compose Postgres and Ollama', () => {
    const postgres = service(compose, 'postgres').environment ?? {};
    const db = new URL(collector.environment?.DATABASE_URL ?? '');
    expect(db.hostname).toBe('postgres');
    expect(decodeURIComponent(db.username)).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(db.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(db.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    expect(collector.environment?.OLLAMA_HOST).toBe('http://ollama:11434');
  });

  it('runs a Grafana that the panel plugin supports', () => {
    const version = (grafana.image ?? '').split(':')[1] ?? '';
    const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(pluginJson.dependencies.grafanaDependency)?.[1];
    expect(minimum, `plugin.json grafanaDependency '${pluginJson.dependencies.grafanaDependency}' is not '>=X.Y.Z'`).toBeDefined();
    const parts = (v: string) => v.split('.').map(Number);
    const [a, b] = [parts(version), parts(minimum ?? '')];
    const cmp = a.reduce((acc, n, i) => acc || Math.sign(n - (b[i] ?? 0)), 0);
    expect(version, 'grafana image tag').toMatch(/^\d+\.\d+\.\d+$/);
    expect(cmp, `grafana ${version} is older than the plugin's ${pluginJson.dependencies.grafanaDependency}`).toBeGreaterThanOrEqual(0);
  });

  it('pulls a model by default and lets LLMSCOPE_PULL_MODEL= turn it off', () => {
    const raw = readRepoYaml('docker-compose.yml') as { services: Record<string, { environment: Record<string, string> }> };
    // ${VAR-default} (no colon): an empty value set on purpose skips the pull.
    expect(raw.services['ollama-pull']?.environment.LLMSCOPE_PULL_MODEL).toMatch(/^\$\{LLMSCOPE_PULL_MODEL-[\w.:-]+\}$/);
    expect(withComposeDefaults(raw.services['ollama-pull']?.environment.LLMSCOPE_PULL_MODEL ?? '')).not.toBe('');
  });
});

describe('collector/Dockerfile', () => {
  const dockerfile = readRepoText('collector/Dockerfile');
  const collector = service(compose, 'collector');
  const ignored = readRepoText('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('is what compose builds, from the repository root', () => {
    expect(collector.build).toEqual({ context: '.', dockerfile: 'collector/Dockerfile' });
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]* AS build$/m);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      const path = src.replace(/\/$/, '');
      expect(repoPathExists(path), `Dockerfile copies ${src}, which is not in the repository`).toBe(true);
      const top = path.split('/')[0] ?? '';
      expect(ignored.includes(path) || ignored.includes(top), `.dockerignore drops ${src}`).toBe(false);
    }
  });

  it('exposes and health-checks the port compose publishes, and ships the migrations', () => {
    const port = collector.environment?.LLMSCOPE_PORT;
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(dockerfile).toContain(`LLMSCOPE_PORT=${port}`);
    // Loopback (the collector's default) would hide the API from the other containers.
    expect(dockerfile).toContain('LLMSCOPE_HOST=0.0.0.0');
    expect(collector.environment?.LLMSCOPE_HOST).toBe('0.0.0.0');
    expect(dockerfile).toMatch(/^COPY migrations\/ migrations\/$/m);
    expect(dockerfile).toMatch(/^CMD \["start"\]$/m);
  });
});
