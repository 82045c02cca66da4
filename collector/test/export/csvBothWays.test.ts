// One CSV for violations (@llmscope/contract): the API's export and the panel's export of the
// same violations are the same file. The panel side runs as in Grafana: the dashboard's own
// samples and violations queries (provisioning/dashboards/llmscope.json, variables and macros
// expanded as Grafana does), their rows turned into data frames, then the panel's readers,
// export rows and CSV writer.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { JSDOM } from 'jsdom';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { grafanaSql } from '../../../provisioning/tests/helpers/grafana-sql';
import { useMigratedDatabase } from '../helpers/migratedDatabase.js';
import { insertSamples, insertViolation, seriesSamples, testApi } from '../http/fixtures.js';

// Grafana's data package reads window and localStorage as it loads (Grafana runs it in a
// browser): give it a DOM before the panel's modules are imported. Only these globals are
// added; the collector keeps Node's URL (collector/vitest.config.ts lets Vite load the package).
const dom = new JSDOM('', { url: 'http://localhost/' });
Object.assign(globalThis, {
  window: dom.window,
  document: dom.window.document,
  navigator: dom.window.navigator,
  localStorage: dom.window.localStorage,
});
const { createDataFrame, FieldType } = await import('@grafana/data');
const { toCsv } = await import('../../../grafana-plugin/src/calcs/csv');
const { toExportRows } = await import('../../../grafana-plugin/src/calcs/exportRows');
const { DEFAULT_SAMPLE_FIELDS, DEFAULT_VIOLATION_FIELDS } = await import('../../../grafana-plugin/src/data/fieldDefaults');
const { readSamples } = await import('../../../grafana-plugin/src/data/samples');
const { readViolations } = await import('../../../grafana-plugin/src/data/violations');
type DataFrame = import('@grafana/data').DataFrame;

const T0 = new Date('2026-03-01T10:00:00.000Z');
const STEP_MS = 30_000;
const ONE = { target: 'lab', model: 'llama3.2:1b', probe: 'csv-one' };
const MANY = { target: 'lab', model: 'qwen, "7b"', probe: 'csv-many' };

/** Postgres type oids the datasource turns into time, number and boolean fields. */
const TIME_OIDS = new Set([1114, 1184]);
const NUMBER_OIDS = new Set([20, 21, 23, 700, 701, 1700]);
const BOOLEAN_OID = 16;

/** A query result as Grafana's Postgres datasource hands it to a panel: one field per column. */
function frameOf(refId: string, result: pg.QueryResult): DataFrame {
  return createDataFrame({
    refId,
    fields: result.fields.map((f) => {
      const values = result.rows.map((r: Record<string, unknown>) => r[f.name]);
      if (TIME_OIDS.has(f.dataTypeID))
        return { name: f.name, type: FieldType.time, values: values.map((v) => (v instanceof Date ? v.getTime() : v)) };
      if (NUMBER_OIDS.has(f.dataTypeID))
        return { name: f.name, type: FieldType.number, values: values.map((v) => (v === null ? null : Number(v))) };
      if (f.dataTypeID === BOOLEAN_OID) return { name: f.name, type: FieldType.boolean, values };
      return { name: f.name, type: FieldType.string, values };
    }),
  });
}

interface Dashboard {
  panels: { type: string; targets?: { refId: string; rawSql?: string }[] }[];
}

const DASHBOARD = fileURLToPath(import.meta.url).replace(/collector\/test\/export\/[^/]+$/, 'provisioning/dashboards/llmscope.json');

function panelQuery(refId: string): string {
  const panel = (JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard).panels.find((p) => p.type === 'llmscope-spc-panel');
  const sql = panel?.targets?.find((t) => t.refId === refId)?.rawSql;
  if (!sql) throw new Error(`the dashboard's SPC panel has no '${refId}' query`);
  return sql;
}

describe('the violations CSV, exported by the API and by the panel', () => {
  const db = useMigratedDatabase();

  async function panelCsv(series: typeof ONE): Promise<string> {
    const ctx = { from: T0, to: new Date(T0.getTime() + 3_600_000), interval: '30s', variables: series };
    const frames = await Promise.all(
      ['samples', 'violations'].map(async (refId) => frameOf(refId, await db.check.query(grafanaSql(panelQuery(refId), ctx)))),
    );
    const samples = readSamples(frames, DEFAULT_SAMPLE_FIELDS);
    if (!samples.ok) throw new Error(samples.message);
    const violations = readViolations(frames, undefined, DEFAULT_VIOLATION_FIELDS, 'query', samples.table);
    return toCsv(toExportRows(violations, samples.table));
  }

  async function apiCsv(series: typeof ONE): Promise<string> {
    const query = new URLSearchParams({ format: 'csv', ...series });
    const res = await testApi({ pool: db.check }).get(`/api/violations/export?${query}`).expect(200);
    return res.text;
  }

  it('writes the same bytes for one violation: header, numbers, times, quoted note, empty cells', async () => {
    const ids = await insertSamples(db.check, seriesSamples({ ...ONE, start: T0, count: 40, stepMs: STEP_MS, seed: 11 }));
    await insertViolation(db.check, {
      sampleId: ids[30]!,
      rule: 'R1',
      severity: 'critical',
      points: 3,
      acknowledged: true,
      note: 'GPU, "shared"\nwith a job',
    });
    await db.check.query('UPDATE samples SET ttft_ms = NULL WHERE id = $1', [ids[30]]);

    const fromApi = await apiCsv(ONE);
    const fromPanel = await panelCsv(ONE);
    expect(parse(fromApi, { columns: true })).toHaveLength(1);
    expect(fromPanel).toBe(fromApi);
  });

  it('agrees on every record of a series with several violations, warnings and infos among them', async () => {
    const ids = await insertSamples(db.check, seriesSamples({ ...MANY, start: T0, count: 120, stepMs: STEP_MS, seed: 12 }));
    for (const [index, rule, severity] of [
      [25, 'R1', 'critical'],
      [25, 'R5', 'warning'],
      [70, 'R2', 'warning'],
      [110, 'R7', 'info'],
    ] as const) {
      await insertViolation(db.check, { sampleId: ids[index]!, rule, severity });
    }
    const byId = (text: string) => (parse(text, { columns: true }) as Record<string, string>[]).sort((a, b) => Number(a.id) - Number(b.id));
    const fromApi = await apiCsv(MANY);
    const fromPanel = await panelCsv(MANY);
    expect(fromPanel.split('\r\n')[0]).toBe(fromApi.split('\r\n')[0]);
    expect(byId(fromApi)).toHaveLength(4);
    expect(byId(fromPanel)).toEqual(byId(fromApi));
  });
});
