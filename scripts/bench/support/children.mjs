// Benchmark parts that must not share the measuring process's event loop (the simulated
// Ollama, a collector) run as forked Node processes that talk over IPC: each sends
// {type: 'ready', …} once listening and answers {type: <request>} messages.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * Forks `fixtures/<script>` with `options` (JSON in argv) and resolves once it is ready.
 * The handle's request(type, body) sends a message and resolves with the reply of that type.
 * `execArgv`: Node flags for the child, e.g. --cpu-prof (not allowed in NODE_OPTIONS).
 */
export function startChild(script, options, { readyTimeoutMs = 60_000, execArgv = [] } = {}) {
  const path = fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url));
  const child = fork(path, [JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const waiting = new Map();
  child.on('message', (message) => {
    const resolve = waiting.get(message.type);
    if (resolve) {
      waiting.delete(message.type);
      resolve(message);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const reply = (type, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: no "${type}" reply within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      waiting.set(type, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code}) before its "${type}" reply:\n${stderr}`));
      });
    });
  const handle = {
    pid: child.pid,
    stderr: () => stderr,
    async request(type, body = {}, timeoutMs = 60_000) {
      const answer = reply(type, timeoutMs);
      child.send({ type, ...body });
      return answer;
    },
    /** Ends the process (after its own orderly stop, if it answers "stop"). */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return reply('ready', readyTimeoutMs).then(
    (ready) => ({ ...handle, ready }),
    async (error) => {
      await handle.stop();
      throw error;
    },
  );
}

/** CPU seconds (user + system) the process has used so far, from /proc. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11], fields[12] are utime and stime (the 14th and 15th of the whole line).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size and its peak (VmHWM) in bytes, from /proc. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
