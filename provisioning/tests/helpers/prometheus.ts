// A real Prometheus (Debian's package) on a free loopback port with its own storage, scraping
// one target and evaluating the repository's rules file, both every second.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, start, waitFor, type Background } from './processes.js';

export const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus';

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  url: string;
  process: Background;
  /** GET /api/v1/<path> and return `data`; throws on a non-success reply. */
  api<T>(path: string): Promise<T>;
  /** An instant query's result vector. */
  query(promql: string): Promise<InstantSample[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(opts: { scrapeTarget: string; ruleFile: string }): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'llmscope-prometheus-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [opts.ruleFile],
    scrape_configs: [{ job_name: 'llmscope', metrics_path: '/metrics', static_configs: [{ targets: [opts.scrapeTarget] }] }],
  };
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const proc = start(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'Prometheus to be ready',
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`prometheus exited:\n${proc.output()}`);
        return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
      },
      30_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${url}/api/v1/${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus /api/v1/${path}: ${body.error ?? res.status}`);
    return body.data;
  }
  return {
    url,
    process: proc,
    api,
    async query(promql: string) {
      const data = await api<{ resultType: string; result: InstantSample[] }>(`query?query=${encodeURIComponent(promql)}`);
      if (data.resultType !== 'vector') throw new Error(`${promql}: expected an instant vector, got ${data.resultType}`);
      return data.result;
    },
    stop,
  };
}
