// The real `llmscope demo` (simulated Ollama + the collector) as a subprocess, writing to
// the database the test gives it and serving its API and /metrics on a port of its own.
import { repoPath } from './repo.js';
import { run, start, type Background, type RunResult } from './processes.js';

export const LLMSCOPE_BIN = repoPath('collector/bin/llmscope.js');

export interface DemoOptions {
  databaseUrl: string;
  port: number;
  interval: string;
  duration: string;
  /** `llmscope demo --scenario` (default: the demo's own, 'cycle'). */
  scenario?: 'cycle' | 'calm' | 'slowdown';
}

function demoArgs(o: DemoOptions): string[] {
  return [LLMSCOPE_BIN, 'demo', '--interval', o.interval, '--duration', o.duration, '--port', String(o.port), ...(o.scenario ? ['--scenario', o.scenario] : [])];
}

function demoEnv(o: DemoOptions): NodeJS.ProcessEnv {
  // No LLMSCOPE_* from the caller's shell may change what the demo does.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LLMSCOPE_') && k !== 'OLLAMA_HOST'));
  return { ...env, DATABASE_URL: o.databaseUrl, LLMSCOPE_LOG_LEVEL: 'warn' };
}

/** Runs the demo until it stops by itself (--duration) and returns its output. */
export async function runDemo(o: DemoOptions, timeoutMs: number): Promise<RunResult> {
  return run(process.execPath, demoArgs(o), { cwd: repoPath(), env: demoEnv(o), timeoutMs });
}

/** Starts the demo and leaves it running; stop() ends it. */
export function startDemo(o: DemoOptions): Background {
  return start(process.execPath, demoArgs(o), { cwd: repoPath(), env: demoEnv(o) });
}
