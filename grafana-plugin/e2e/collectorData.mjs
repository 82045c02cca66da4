// Real data for the browser test: a fresh database on the DATABASE_URL server, the
// collector's `llmscope demo` (the real collector probing the simulated Ollama) writing
// into it, and the rows read back as the panel's two Postgres queries return them.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLES, VIOLATIONS } from '@llmscope/contract';
import pg from 'pg';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repoRoot, 'collector', 'bin', 'llmscope.js');

// The columns the provisioned dashboard's queries select (provisioning/), for one series;
// each field's type comes from the @llmscope/contract table, so a renamed column fails here.
const SAMPLE_FIELDS = [
  'id', 'latency_ms', 'status', 'model', 'error', 'cold_start', 'spc_center', 'spc_ucl', 'spc_lcl', 'spc_sigma', 'ttft_ms',
  'total_duration_ms', 'load_duration_ms', 'prompt_eval_count', 'prompt_eval_duration_ms', 'eval_count', 'eval_duration_ms',
  'tokens_per_second', 'cpu_percent', 'memory_percent', 'gpu_percent', 'gpu_memory_percent',
];
const VIOLATION_FIELDS = ['id', 'rule', 'severity', 'latency_ms', 'deviation_sigma', 'sample_id'];

/** A Grafana field type for a contract column (the datasource turns timestamps into time fields). */
function fieldType(table, column) {
  const spec = table.columns[column];
  if (!spec) {
    throw new Error(`e2e: the ${table.name} table of @llmscope/contract has no column "${column}"`);
  }
  if (spec.type === 'timestamp with time zone') {
    return 'time';
  }
  if (spec.type === 'boolean') {
    return 'boolean';
  }
  return ['bigint', 'integer', 'double precision'].includes(spec.type) ? 'number' : 'string';
}

/** The SELECT list: the time column as epoch ms named "time", ids as numbers. */
function selectList(table, timeColumn, fields) {
  const cast = (c) => (table.columns[c].type === 'bigint' ? `${c}::float8 AS ${c}` : c);
  return [`(extract(epoch FROM "${timeColumn}") * 1000)::float8 AS time`, ...fields.map(cast)].join(', ');
}

export const SAMPLE_COLUMNS = [['time', 'time'], ...SAMPLE_FIELDS.map((c) => [c, fieldType(SAMPLES, c)])];
export const VIOLATION_COLUMNS = [['time', 'time'], ...VIOLATION_FIELDS.map((c) => [c, fieldType(VIOLATIONS, c)])];

const SAMPLES_SQL = `SELECT ${selectList(SAMPLES, 'ts', SAMPLE_FIELDS)} FROM samples WHERE model = $1 ORDER BY ts`;
const VIOLATIONS_SQL = `SELECT ${selectList(VIOLATIONS, 'timestamp', VIOLATION_FIELDS)} FROM violations WHERE model = $1 ORDER BY "timestamp"`;

function withDatabase(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `llmscope demo` into a throw-away database and returns the busiest series' rows. */
export async function collectDemoData({ serverUrl, interval, duration, log }) {
  const name = `llmscope_e2e_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  log(`created database ${name} on ${new URL(serverUrl).host}`);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'llmscope-e2e-'));
  try {
    const url = withDatabase(serverUrl, name);
    await runDemo({ url, interval, duration, cwd: workDir, log });
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const busiest = await client.query(
        `SELECT model, count(*)::int AS n FROM violations GROUP BY model ORDER BY n DESC, model LIMIT 1`
      );
      if (busiest.rows.length === 0) {
        throw new Error('the demo stored no violations: the panel would have no marker to click');
      }
      const model = busiest.rows[0].model;
      const samples = (await client.query(SAMPLES_SQL, [model])).rows;
      const violations = (await client.query(VIOLATIONS_SQL, [model])).rows;
      return { model, samples, violations };
    } finally {
      await client.end();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    log(`dropped database ${name}`);
  }
}

function runDemo({ url, interval, duration, cwd, log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'demo', '--interval', interval, '--duration', duration, '--port', '0', '--database-url', url],
      { cwd, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    let stderr = '';
    // The demo stops itself after --duration; a hung one must not hang CI.
    const limitMs = 120_000;
    const watchdog = setTimeout(() => {
      stderr += `\n(e2e: killed after ${limitMs / 1000}s)`;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        log(`  collector: ${line}`);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`llmscope demo exited with ${code ?? signal}:\n${stderr.slice(-2000)}`));
      }
    });
  });
}
