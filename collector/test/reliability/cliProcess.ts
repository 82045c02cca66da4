// The real `llmscope` CLI as a child process, with everything it prints captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/collector.js';

export const BIN = fileURLToPath(new URL('../../bin/llmscope.js', import.meta.url));
export const DIST = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      waitFor(`${pattern} in the output of llmscope ${args.join(' ')}`, () => pattern.exec(text) ?? undefined, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}; its last output:\n${text.slice(-3000)}`);
      }),
    exited,
  };
}
