// A live `llmscope demo` (the real collector probing the simulated Ollama, its HTTP API and
// the built-in viewer) writing into a throw-away database, for the viewer's browser test.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repoRoot, 'collector', 'bin', 'llmscope.js');
const START_LIMIT_MS = 60_000;

function withDatabase(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts the demo with an API token; resolves with its URL, the lines it printed and a stop
 * function that ends it and drops the database.
 */
export async function startLiveDemo({ serverUrl, interval, token, log }) {
  const name = `llmscope_viewer_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  log(`created database ${name} on ${new URL(serverUrl).host}`);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'llmscope-viewer-'));
  const url = withDatabase(serverUrl, name);
  const child = spawn(process.execPath, [cli, 'demo', '--interval', interval, '--duration', '0', '--port', '0', '--database-url', url], {
    cwd: workDir,
    env: { ...process.env, DATABASE_URL: url, LLMSCOPE_API_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.setEncoding('utf8');
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no collector URL within ${START_LIMIT_MS / 1000}s:\n${stderr.slice(-2000)}`)), START_LIMIT_MS);
    child.stdout.on('data', (chunk) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lines.push(line);
        log(`  collector: ${line}`);
        const found = line.match(/^demo: collector on (http:\/\/\S+);/);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`llmscope demo exited with ${code ?? signal} before it was ready:\n${stderr.slice(-2000)}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(workDir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    log(`dropped database ${name}`);
  };
  try {
    return { url: await started, lines, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
