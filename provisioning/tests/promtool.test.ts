// promtool (Debian's prometheus package) checks the Prometheus config and rules, runs the
// rules' unit tests, and parses the PromQL inside the Grafana-managed rules too.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/processes.js';
import { grafanaPromQL } from './helpers/grafana-promql.js';
import { dashboard, dashboardPromQL, grafanaAlertRules } from './helpers/provisioning.js';
import { repoPath } from './helpers/repo.js';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const dir = repoPath('provisioning/prometheus');

async function promtool(...args: string[]) {
  const result = await run(PROMTOOL, args, { cwd: dir });
  return { ...result, all: `${result.stdout}\n${result.stderr}` };
}

describe('promtool', () => {
  it('check config: prometheus.yml and the rule files it names are valid', async () => {
    const r = await promtool('check', 'config', 'prometheus.yml');
    expect(r.code, r.all).toBe(0);
    expect(r.all).toContain('SUCCESS: 1 rule files found');
  });

  it('check rules: rules.yml holds the two alerts', async () => {
    const r = await promtool('check', 'rules', 'rules.yml');
    expect(r.code, r.all).toBe(0);
    expect(r.all).toContain('SUCCESS: 2 rules found');
  });

  it('test rules: the unit tests in rules.test.yml pass', async () => {
    const r = await promtool('test', 'rules', 'rules.test.yml');
    expect(r.code, r.all).toBe(0);
    expect(r.all).toContain('SUCCESS');
  });

  it('test rules fails when the rules do not do what the tests expect (the tests have teeth)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'llmscope-promtool-'));
    const rules = readFileSync(join(dir, 'rules.yml'), 'utf8');
    // A critical alert that needs two new alerts (and two open episodes) must break the single-episode tests.
    writeFileSync(join(scratch, 'rules.yml'), rules.replace('severity="critical"}[5m])) > 0', 'severity="critical"}[5m])) > 1'));
    writeFileSync(join(scratch, 'rules.test.yml'), readFileSync(join(dir, 'rules.test.yml'), 'utf8'));
    const r = await run(PROMTOOL, ['test', 'rules', 'rules.test.yml'], { cwd: scratch });
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('LLMscopeCritical');
  });

  it('check rules: the PromQL of the Grafana-managed rules parses', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'llmscope-promtool-'));
    const rules = grafanaAlertRules().map((rule) => {
      const expr = rule.data.find((q) => q.model.expr)?.model.expr;
      if (!expr) throw new Error(`Grafana rule '${rule.title}' has no PromQL query`);
      return { alert: rule.uid, expr };
    });
    writeFileSync(join(scratch, 'grafana-rules.yml'), stringify({ groups: [{ name: 'grafana', rules }] }));
    const r = await run(PROMTOOL, ['check', 'rules', 'grafana-rules.yml'], { cwd: scratch });
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('check rules: the PromQL of every dashboard panel parses once Grafana has filled in its variables', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'llmscope-promtool-'));
    const ctx = { variables: { target: 'ollama:11434', model: 'qwen2.5:0.5b', probe: 'default' }, rateInterval: '1m', interval: '15s', range: '6h' };
    const queries = dashboardPromQL(dashboard());
    expect(queries.length).toBeGreaterThanOrEqual(6);
    const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: grafanaPromQL(q.expr, ctx) }));
    writeFileSync(join(scratch, 'dashboard-queries.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
    const r = await run(PROMTOOL, ['check', 'rules', 'dashboard-queries.yml'], { cwd: scratch });
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
  });
});
