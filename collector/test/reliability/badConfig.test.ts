// Promise: a wrong setting stops `llmscope start` before it does anything, with one line on
// stderr that names the key (and where its value came from) and exit code 2; no stack, and
// the offending value is never echoed when it could be a secret.
// (test/config/load.test.ts checks loadConfig's messages in-process; this runs the real CLI.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectBuiltCli, runCliToEnd, type CliRun } from '../helpers/cliProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'llmscope-badconfig-'));

interface Case {
  name: string;
  yaml?: string;
  env?: Record<string, string>;
  flags?: string[];
  /** The line must match this (after "llmscope: "). */
  message: RegExp;
  /** Text that must not appear (a secret in the bad value). */
  secret?: string;
}

const CASES: Case[] = [
  // YAML file
  { name: 'yaml: target URL', yaml: 'targets: [{ url: "not a url" }]', message: /^config: targets\[0\]\.url: Invalid URL/ },
  { name: 'yaml: misspelt top-level key', yaml: 'intervall: 15s', message: /^config: intervall: unknown key/ },
  { name: 'yaml: misspelt nested key', yaml: 'store: { queuesize: 100 }', message: /^config: store\.queuesize: unknown key/ },
  { name: 'yaml: queue too small', yaml: 'store: { queueSize: 5 }', message: /^config: store\.queueSize: / },
  {
    name: 'yaml: duration that is not one',
    yaml: 'store: { flushInterval: fast }',
    message: /^config: store\.flushInterval: "fast" is not a positive duration/,
  },
  { name: 'yaml: EWMA lambda out of range', yaml: 'spc: { rules: { ewma: { lambda: 2, L: 3 } } }', message: /^config: spc\.rules\.ewma/ },
  {
    name: 'yaml: probe name with a space',
    yaml: 'probes: [{ name: "has space", prompt: hi }]',
    message: /^config: probes\[0\]\.name: use letters/,
  },
  {
    name: 'yaml: duplicate target',
    yaml: 'targets: [{ url: "http://a:1", name: x }, { url: "http://b:1", name: x }]',
    message: /^config: targets\[1\]\.name: duplicate target name "x"/,
  },
  {
    name: 'yaml: database URL scheme, password not echoed',
    yaml: 'database: { url: "mysql://u:Yaml-Pw-1@h/d" }',
    message: /^config: database\.url: must start with postgres:\/\//,
    secret: 'Yaml-Pw-1',
  },
  { name: 'yaml: broken YAML names the file', yaml: 'targets: [{ url: x', message: /^config: .*config\.yaml is not valid YAML: / },
  { name: 'yaml: a list instead of a mapping', yaml: '- interval: 15s', message: /^config: .*must hold a YAML mapping/ },
  // Environment
  { name: 'env: port not a number', env: { LLMSCOPE_PORT: 'eighty' }, message: /^config: http\.port \(from LLMSCOPE_PORT\): / },
  {
    name: 'env: interval',
    env: { LLMSCOPE_INTERVAL: 'often' },
    message: /^config: interval \(from LLMSCOPE_INTERVAL\): "often" is not a positive duration/,
  },
  {
    name: 'env: short API token, not echoed',
    env: { LLMSCOPE_API_TOKEN: 'Tk-2shr' },
    message: /^config: http\.apiToken \(from LLMSCOPE_API_TOKEN\): must be at least 8 characters/,
    secret: 'Tk-2shr',
  },
  {
    name: 'env: database URL, password not echoed',
    env: { DATABASE_URL: 'mysql://u:Env-Pw-2@h/d' },
    message: /^config: database\.url \(from DATABASE_URL\): must start with postgres:\/\//,
    secret: 'Env-Pw-2',
  },
  { name: 'env: OLLAMA_HOST', env: { OLLAMA_HOST: 'http://bad host:11434' }, message: /^config: targets\[0\]\.url/ },
  // Flags
  { name: 'flag: port out of range', flags: ['--port', '99999'], message: /^config: http\.port \(from --port\): / },
  {
    name: 'flag: zero timeout',
    flags: ['--timeout', '0s'],
    message: /^config: timeout \(from --timeout\): "0s" is not a positive duration/,
  },
  { name: 'flag: target URL', flags: ['--target', 'ftp://x'], message: /^config: targets\[0\]\.url: Invalid URL/ },
  { name: 'flag: log level', flags: ['--log-level', 'loud'], message: /^config: logLevel \(from --log-level\): / },
  {
    name: 'flag: database URL, password not echoed',
    flags: ['--database-url', 'mysql://u:Flag-Pw-3@h/d'],
    message: /^config: database\.url \(from --database-url\): /,
    secret: 'Flag-Pw-3',
  },
  {
    name: 'flag: config file that does not exist',
    flags: ['--config', join(dir, 'missing.yaml')],
    message: /^config: cannot read .*missing\.yaml: ENOENT/,
  },
];

function runStart(c: Case, index: number): Promise<CliRun> {
  const flags = [...(c.flags ?? [])];
  if (c.yaml !== undefined) {
    const file = join(dir, `${index}-config.yaml`);
    writeFileSync(file, c.yaml);
    flags.push('--config', file);
  }
  // Only what a shell would pass on, plus the case's own settings: nothing from the test's env.
  // A config that slipped through would start a collector: it is killed at the timeout, and the code shows it.
  return runCliToEnd(['start', ...flags], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...c.env }, timeoutMs: 60_000 });
}

describe('bad configuration, through `llmscope start`', () => {
  it.concurrent.each(CASES.map((c, i) => [c.name, c, i] as const))(
    '%s',
    async (_name, c, index) => {
      expectBuiltCli();
      const { code, stdout, stderr } = await runStart(c, index);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const lines = stderr.split('\n').filter((l) => l !== '');
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^llmscope: /);
      expect(lines[0]!.slice('llmscope: '.length)).toMatch(c.message);
      if (c.secret) expect(stderr).not.toContain(c.secret);
    },
    90_000,
  );
});
