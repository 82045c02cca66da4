// The real `llmscope` CLI as a child process (collector/bin/llmscope.js → dist/cli.js), as a
// user runs it. Build first: `npm run build:node` at the repository root (`npm test` does).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { waitFor } from './collector.js';

export const BIN = fileURLToPath(new URL('../../bin/llmscope.js', import.meta.url));
export const DIST = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Fails the test with the command to run when the CLI has not been built. */
export function expectBuiltCli(): void {
  expect(existsSync(DIST), 'collector/dist is missing: run `npm run build:node` first').toBe(true);
}

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** A running CLI whose output the test can wait on. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  return {
    child,
    output: () => text,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      waitFor(`${pattern} in the output of llmscope ${args.join(' ')}`, () => pattern.exec(text) ?? undefined, timeoutMs).catch(
        (error: Error) => {
          throw new Error(`${error.message}; its last output:\n${text.slice(-3000)}`);
        },
      ),
    exited: exitOf(child),
  };
}

export interface CliRun {
  /** The exit code; 1 for a process killed by `timeoutMs`. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end; a run past `timeoutMs` is killed (a command that should have exited). */
export function runCliToEnd(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 50_000, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) || 1 : 0, stdout, stderr }),
    );
  });
}

export const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/**
 * Writes a config file for `llmscope start` (a spill file in the same temporary folder, no GPU
 * probing) and returns a function that starts a collector on it with stderr piped.
 */
export function collectorStarter(opts: { yaml: string; env: NodeJS.ProcessEnv; prefix: string }): () => ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), opts.prefix));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    `${opts.yaml}\nstore: { spillFile: ${JSON.stringify(join(dir, 'spill.ndjson'))}, flushInterval: 50ms }\ntelemetry: { gpu: false }\n`,
  );
  return () => spawn(process.execPath, [BIN, 'start', '--config', configFile], { env: opts.env, stdio: ['ignore', 'ignore', 'pipe'] });
}
