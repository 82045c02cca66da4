// Builds the configuration from, in rising precedence: built-in defaults, the YAML file,
// environment variables and command-line flags; then validates it as a whole.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeIssue } from './errors.js';
import { configSchema, type CollectorConfig } from './schema.js';

export interface ConfigFlags {
  interval?: string;
  timeout?: string;
  host?: string;
  port?: string | number;
  targets?: string[];
  models?: string[];
  databaseUrl?: string;
  logLevel?: string;
}

export interface LoadConfigOptions {
  /** Path of a YAML file (`--config`). */
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: ConfigFlags;
}

type Raw = Record<string, unknown>;

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';

/** OLLAMA_HOST follows Ollama's own convention: "host", "host:port" or a URL; 0.0.0.0 means this machine. */
export function ollamaUrlFromEnv(value: string): string {
  let text = value.trim();
  if (!/^https?:\/\//.test(text)) text = `http://${text}`;
  try {
    const url = new URL(text);
    if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
    if (url.port === '' && !/:\d+$/.test(value.trim()) && url.protocol === 'http:') url.port = '11434';
    return url.toString().replace(/\/$/, '');
  } catch {
    return value; // left for the schema to reject with the key named
  }
}

function readYaml(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`config: ${file} is not valid YAML: ${message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config: ${file} must hold a YAML mapping (key: value lines)`);
  return parsed as Raw;
}

function section(raw: Raw, key: string): Raw {
  const existing = raw[key];
  if (existing && typeof existing === 'object' && !Array.isArray(existing)) return existing as Raw;
  if (existing !== undefined) return {}; // wrong type: left in place for the schema to name (see set())
  const created: Raw = {};
  raw[key] = created;
  return created;
}

function asNumber(text: string | number): number {
  if (typeof text === 'number') return text;
  return text.trim() === '' ? Number.NaN : Number(text);
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function loadConfig({ file, env = process.env, flags = {} }: LoadConfigOptions = {}): CollectorConfig {
  const raw: Raw = file ? readYaml(file) : {};
  const origins = new Map<string, string>();
  const set = (path: [string] | [string, string], value: unknown, origin: string) => {
    if (value === undefined) return;
    if (path.length === 1) raw[path[0]] = value;
    else {
      const parent = raw[path[0]];
      if (parent !== undefined && (typeof parent !== 'object' || parent === null || Array.isArray(parent))) return;
      section(raw, path[0])[path[1]] = value;
    }
    origins.set(path.join('.'), origin);
  };

  if (env.OLLAMA_HOST && raw.targets === undefined) set(['targets'], [{ url: ollamaUrlFromEnv(env.OLLAMA_HOST) }], 'OLLAMA_HOST');
  set(['database', 'url'], env.DATABASE_URL || undefined, 'DATABASE_URL');
  set(['http', 'host'], env.LLMSCOPE_HOST || undefined, 'LLMSCOPE_HOST');
  set(['http', 'port'], env.LLMSCOPE_PORT ? asNumber(env.LLMSCOPE_PORT) : undefined, 'LLMSCOPE_PORT');
  set(['http', 'apiToken'], env.LLMSCOPE_API_TOKEN || undefined, 'LLMSCOPE_API_TOKEN');
  set(['http', 'corsOrigin'], env.LLMSCOPE_CORS_ORIGIN || undefined, 'LLMSCOPE_CORS_ORIGIN');
  set(['models'], env.LLMSCOPE_MODELS ? list(env.LLMSCOPE_MODELS) : undefined, 'LLMSCOPE_MODELS');
  set(['interval'], env.LLMSCOPE_INTERVAL || undefined, 'LLMSCOPE_INTERVAL');
  set(['timeout'], env.LLMSCOPE_TIMEOUT || undefined, 'LLMSCOPE_TIMEOUT');
  set(['logLevel'], env.LLMSCOPE_LOG_LEVEL || undefined, 'LLMSCOPE_LOG_LEVEL');
  set(['collector'], env.LLMSCOPE_COLLECTOR || undefined, 'LLMSCOPE_COLLECTOR');
  if (env.LLMSCOPE_STORE_PROMPTS) set(['storePrompts'], /^(1|true|yes)$/i.test(env.LLMSCOPE_STORE_PROMPTS), 'LLMSCOPE_STORE_PROMPTS');

  set(['interval'], flags.interval, '--interval');
  set(['timeout'], flags.timeout, '--timeout');
  set(['http', 'host'], flags.host, '--host');
  set(['http', 'port'], flags.port === undefined ? undefined : asNumber(flags.port), '--port');
  if (flags.targets?.length)
    set(
      ['targets'],
      flags.targets.map((url) => ({ url })),
      '--target',
    );
  if (flags.models?.length) set(['models'], flags.models, '--model');
  set(['database', 'url'], flags.databaseUrl, '--database-url');
  set(['logLevel'], flags.logLevel, '--log-level');

  raw.collector ??= hostname();
  raw.targets ??= [{ url: DEFAULT_OLLAMA_URL }];

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ConfigError(first ? describeIssue(first, origins) : 'config: invalid');
  }
  return result.data;
}
