import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig, ollamaUrlFromEnv } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'llmscope-config-'));
let n = 0;
function yamlFile(text: string): string {
  const file = join(dir, `config-${n++}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('loadConfig defaults', () => {
  it('works with nothing configured', () => {
    const config = loadConfig({ env: {} });
    expect(config.targets).toEqual([{ name: '127.0.0.1:11434', url: 'http://127.0.0.1:11434', provider: 'ollama' }]);
    expect(config.models).toBeUndefined();
    expect(config.probes).toHaveLength(1);
    expect(config.interval).toBe(15_000);
    expect(config.timeout).toBe(120_000);
    expect(config.spc).toMatchObject({ transform: 'log', baselineSize: 100, clean: true, rules: { preset: 'nelson' } });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, maxConcurrentExports: 2, statementTimeout: 30_000 });
    expect(config.store).toMatchObject({ queueSize: 10_000, spillFile: '.llmscope/spill.ndjson' });
    expect(config.storePrompts).toBe(false);
    expect(config.retention).toEqual({ samples: 30 * 86_400_000, rollups: 400 * 86_400_000 });
  });

  it("takes OLLAMA_HOST in Ollama's own forms", () => {
    expect(ollamaUrlFromEnv('0.0.0.0')).toBe('http://127.0.0.1:11434');
    expect(ollamaUrlFromEnv('gpu-box:11500')).toBe('http://gpu-box:11500');
    expect(ollamaUrlFromEnv('https://ollama.example.com')).toBe('https://ollama.example.com');
    expect(loadConfig({ env: { OLLAMA_HOST: '10.0.0.5:11434' } }).targets[0]?.url).toBe('http://10.0.0.5:11434');
  });
});

describe('precedence: file < env < flags', () => {
  it('applies each layer', () => {
    const file = yamlFile(`
interval: 30s
http: { port: 9000 }
models: [llama3.2:1b]
probes:
  - name: short
    prompt: Say hi
    options: { num_predict: 8, temperature: 0, seed: 1 }
`);
    const fromFile = loadConfig({ file, env: {} });
    expect(fromFile.interval).toBe(30_000);
    expect(fromFile.http.port).toBe(9000);
    expect(fromFile.models).toEqual(['llama3.2:1b']);
    expect(fromFile.probes[0]).toEqual({ name: 'short', prompt: 'Say hi', options: { num_predict: 8, temperature: 0, seed: 1 } });

    const withEnv = loadConfig({
      file,
      env: { LLMSCOPE_PORT: '9100', LLMSCOPE_API_TOKEN: 'secret-token', DATABASE_URL: 'postgres://u:p@db/x' },
    });
    expect(withEnv.http).toMatchObject({ port: 9100, apiToken: 'secret-token' });
    expect(withEnv.database.url).toBe('postgres://u:p@db/x');

    const withFlags = loadConfig({ file, env: { LLMSCOPE_PORT: '9100' }, flags: { port: '9200', interval: '50ms', models: ['a', 'b'] } });
    expect(withFlags.http.port).toBe(9200);
    expect(withFlags.interval).toBe(50);
    expect(withFlags.models).toEqual(['a', 'b']);
  });
});

describe('bad configuration is rejected with one line naming the key', () => {
  const cases: Array<[string, string, NodeJS.ProcessEnv | undefined, RegExp]> = [
    ['bad target URL', 'targets: [{ url: "not a url" }]', undefined, /^config: targets\[0\]\.url: Invalid URL/],
    ['unknown top-level key', 'intervall: 15s', undefined, /^config: intervall: unknown key/],
    ['unknown nested key', 'spc: { baseline: 50 }', undefined, /^config: spc\.baseline: unknown key/],
    ['unknown key in a list item', 'targets: [{ url: "http://x:1", modle: a }]', undefined, /^config: targets\[0\]\.modle: unknown key/],
    ['number instead of duration', 'interval: 15', undefined, /^config: interval: interval must be a duration/],
    ['nonsense duration', 'timeout: soon', undefined, /^config: timeout: "soon" is not a positive duration/],
    ['bad transform', 'spc: { transform: sqrt }', undefined, /^config: spc\.transform: /],
    ['port out of range', 'http: { port: 70000 }', undefined, /^config: http\.port: /],
    ['wrong provider', 'targets: [{ url: "http://x:1", provider: vllm }]', undefined, /^config: targets\[0\]\.provider: /],
    ['empty probe list', 'probes: []', undefined, /^config: probes: /],
    [
      'duplicate probe names',
      'probes: [{name: a, prompt: x}, {name: a, prompt: y}]',
      undefined,
      /^config: probes\[1\]\.name: duplicate probe name "a"/,
    ],
    ['short token', '', { LLMSCOPE_API_TOKEN: 'abc' }, /^config: http\.apiToken \(from LLMSCOPE_API_TOKEN\): must be at least 8/],
    ['port env not a number', '', { LLMSCOPE_PORT: 'eighty' }, /^config: http\.port \(from LLMSCOPE_PORT\): /],
    [
      'database URL scheme',
      '',
      { DATABASE_URL: 'mysql://x' },
      /^config: database\.url \(from DATABASE_URL\): must start with postgres:\/\//,
    ],
    ['file holds a list', '- a\n- b', undefined, /must hold a YAML mapping/],
    ['broken YAML', 'a: [1, 2', undefined, /is not valid YAML/],
    [
      'rollups kept shorter than samples',
      'retention: { samples: 30d, rollups: 7d }',
      undefined,
      /^config: retention\.rollups: must be at least retention\.samples/,
    ],
    ['samples kept less than a day', 'retention: { samples: 12h }', undefined, /^config: retention\.samples: must be at least 1d/],
    [
      'retention not a duration',
      'retention: { samples: 30 }',
      undefined,
      /^config: retention\.samples: retention\.samples must be a duration/,
    ],
  ];
  it.each(cases)('%s', (_name, yaml, env, expected) => {
    const file = yamlFile(yaml);
    let error: unknown;
    try {
      loadConfig({ file, env: env ?? {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('names a missing file', () => {
    expect(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {} })).toThrow(/cannot read .*nope\.yaml: ENOENT/);
  });
});

describe('the example configuration', () => {
  it('is valid and means what its comments say', () => {
    const config = loadConfig({ file: new URL('./llmscope.example.yaml', import.meta.url).pathname, env: {} });
    expect(config.targets.map((t) => [t.name, t.provider])).toEqual([
      ['127.0.0.1:11434', 'ollama'],
      ['vllm', 'openai'],
    ]);
    expect(config.spc.rules.ewma).toEqual({ lambda: 0.2, L: 3 });
    expect(config.store.retryInterval).toBe(2000);
    expect(config.telemetry.psInterval).toBe(10_000);
    expect(config.retention).toEqual({ samples: 30 * 86_400_000, rollups: 400 * 86_400_000 });
  });
});
