// A real Prometheus (/usr/bin/prometheus, or $PROMETHEUS) on a free loopback port with its
// own throw-away storage, scraping the given targets every second.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './stats.mjs';

const BINARY = process.env.PROMETHEUS ?? '/usr/bin/prometheus';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** jobs: [{ job, targets: ['127.0.0.1:port'] }]. Resolves once /-/ready answers. */
export async function startPrometheus(jobs) {
  const dir = await mkdtemp(join(tmpdir(), 'llmscope-bench-prometheus-'));
  const port = await freePort();
  // JSON is YAML: no YAML writer needed.
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: jobs.map(({ job, targets }) => ({ job_name: job, metrics_path: '/metrics', static_configs: [{ targets }] })),
  };
  await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const child = spawn(
    BINARY,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('error', (error) => (output += `\n${error.message}`));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus (${BINARY}) exited: ${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`prometheus did not become ready in 30 s: ${output}`);
    }
    await sleep(200);
  }
  return {
    url,
    /** An instant query's result vector. */
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = await res.json();
      if (body.status !== 'success') throw new Error(`Prometheus query ${promql}: ${body.error ?? res.status}`);
      return body.data.result;
    },
    stop,
  };
}
