// POST /api/alerts: Grafana's webhook contact point (provisioning/alerting/contact-points.yaml).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { capturedLogger } from '../helpers/collector.js';
import { testApi } from './fixtures.js';

// The route never touches the database; the pool is only there because the app needs one.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(() => pool.end());

/** What Grafana 11/12 posts for one firing rule of provisioning/alerting/rules.yaml (trimmed URLs). */
function grafanaNotification(overrides: Record<string, unknown> = {}) {
  return {
    receiver: 'llmscope-webhook',
    status: 'firing',
    orgId: 1,
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'LLMscope R1 violation',
          grafana_folder: 'LLMscope',
          model: 'llama3.2:1b',
          probe: 'default',
          rule: 'R1',
          target: 'ollama',
          severity: 'critical',
        },
        annotations: { summary: 'LLMscope: llama3.2:1b broke R1 (point beyond 3 sigma)', description: 'A new R1 episode…' },
        startsAt: '2026-11-27T04:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://grafana:3000/alerting/grafana/abc/view',
        fingerprint: '5b4b0e6a2f4a1c3d',
        silenceURL: 'http://grafana:3000/alerting/silence/new',
        dashboardURL: '',
        panelURL: '',
        values: { A: 1, C: 1 },
        valueString: "[ var='A' labels={model=llama3.2:1b} value=1 ]",
      },
      {
        status: 'resolved',
        labels: { alertname: 'LLMscope pattern violation', model: 'qwen2.5:0.5b', probe: 'default', rule: 'R2' },
        annotations: { summary: 'LLMscope: qwen2.5:0.5b broke R2 (latency pattern changed)' },
        startsAt: '2026-11-27T03:00:00Z',
        endsAt: '2026-11-27T03:30:00Z',
      },
    ],
    groupLabels: { alertname: 'LLMscope R1 violation' },
    commonLabels: { grafana_folder: 'LLMscope' },
    commonAnnotations: {},
    externalURL: 'http://grafana:3000/',
    version: '1',
    groupKey: '{}/{}:{alertname="LLMscope R1 violation"}',
    truncatedAlerts: 0,
    title: '[FIRING:1] LLMscope R1 violation',
    state: 'alerting',
    message: '**Firing**\n\nValue: A=1',
    ...overrides,
  };
}

describe('POST /api/alerts', () => {
  it('is where the provisioned contact point sends, by default', () => {
    const compose = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');
    expect(compose).toContain('http://collector:8080/api/alerts');
    const contactPoints = parseYaml(readFileSync(new URL('../../../provisioning/alerting/contact-points.yaml', import.meta.url), 'utf8'));
    const receiver = contactPoints.contactPoints[0].receivers[0];
    expect(receiver).toMatchObject({ type: 'webhook', settings: { url: '$LLMSCOPE_ALERT_WEBHOOK_URL', httpMethod: 'POST' } });
  });

  it('takes a Grafana notification without a token, logs one line per alert and answers 204', async () => {
    const { logger, lines } = capturedLogger();
    const res = await testApi({ pool, logger, apiToken: 'a-long-enough-token' }).post('/api/alerts').send(grafanaNotification());
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const alerts = lines.map((l) => JSON.parse(l)).filter((l) => l.alert);
    expect(alerts.map((l) => l.alert)).toEqual([
      {
        status: 'firing',
        alertname: 'LLMscope R1 violation',
        model: 'llama3.2:1b',
        probe: 'default',
        rule: 'R1',
        summary: 'LLMscope: llama3.2:1b broke R1 (point beyond 3 sigma)',
      },
      {
        status: 'resolved',
        alertname: 'LLMscope pattern violation',
        model: 'qwen2.5:0.5b',
        probe: 'default',
        rule: 'R2',
        summary: 'LLMscope: qwen2.5:0.5b broke R2 (latency pattern changed)',
      },
    ]);
    expect(alerts[0].msg).toBe(
      'alert firing: LLMscope R1 violation model=llama3.2:1b probe=default rule=R1 — LLMscope: llama3.2:1b broke R1 (point beyond 3 sigma)',
    );
    expect(alerts[1].msg).toMatch(/^alert resolved: LLMscope pattern violation model=qwen2.5:0.5b/);
  });

  it('takes an Alertmanager notification (version 4) and alerts without the series labels', async () => {
    const { logger, lines } = capturedLogger();
    const body = {
      version: '4',
      status: 'firing',
      receiver: 'x',
      alerts: [{ status: 'firing', labels: { alertname: 'CollectorDown' }, annotations: {} }],
    };
    const res = await testApi({ pool, logger }).post('/api/alerts').send(body);
    expect(res.status).toBe(204);
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('alert firing: CollectorDown model=- probe=- rule=-');
  });

  it.each([
    ['no body', undefined, 'alerts'],
    ['alerts not a list', { alerts: 'x' }, 'alerts'],
    ['bad alert status', { alerts: [{ status: 'exploded' }] }, 'alerts.0.status'],
    ['label that is not text', { alerts: [{ status: 'firing', labels: { model: 42 } }] }, 'alerts.0.labels.model'],
    ['huge annotation', { alerts: [{ status: 'firing', annotations: { summary: 'x'.repeat(5000) } }] }, 'alerts.0.annotations.summary'],
    ['too many alerts', { alerts: Array.from({ length: 201 }, () => ({ status: 'firing' })) }, 'alerts'],
  ])('%s → 400 naming the field, nothing logged', async (_name, body, field) => {
    const { logger, lines } = capturedLogger();
    const req = testApi({ pool, logger }).post('/api/alerts');
    const res = await (body === undefined ? req : req.send(body));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(lines.filter((l) => JSON.parse(l).alert)).toEqual([]);
  });

  it('refuses a body over its limit (413) and broken JSON (400)', async () => {
    const api = testApi({ pool });
    const big = grafanaNotification({ message: 'x'.repeat(70_000) });
    expect((await api.post('/api/alerts').send(big)).status).toBe(413);
    const broken = await api.post('/api/alerts').set('Content-Type', 'application/json').send('{"alerts": [');
    expect(broken.status).toBe(400);
    expect(broken.body.field).toBe('body');
  });

  it('is rate-limited like the rest of /api', async () => {
    const api = testApi({ pool, rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.post('/api/alerts').send(grafanaNotification())).status);
    expect(statuses).toEqual([204, 204, 204, 429]);
  });
});
