// A simulated Ollama: a real HTTP server speaking Ollama's API (and the OpenAI-compatible
// chat endpoint) with log-normal latency, a model load on the first call, telemetry that
// adds up to the wall time, and injectable incidents and faults. Used by `llmscope demo`
// and by the tests; it is the only stand-in in the project.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS, type Plan, type Reply, type WireDialect } from './dialects.js';
import { createRandom, type Random } from './random.js';
import { incidentEffect, scheduledFault, type FaultKind, type Schedule } from './schedule.js';

export interface SimulatedModelSpec {
  name: string;
  /** Median warm latency of a probe. */
  medianMs: number;
  /** Coefficient of variation of the warm latency (real Ollama: about 8%). */
  cv?: number;
  /** Tokens generated when the request does not limit them with num_predict. */
  evalTokens?: number;
  /** Time to load the model on its first request (and after an unload). */
  loadMs?: number;
  sizeBytes?: number;
}

interface ModelState {
  spec: Required<SimulatedModelSpec>;
  requests: number;
  loaded: boolean;
  gpuFraction: number;
  pendingFaults: FaultKind[];
}

export interface SimulatedOllamaOptions {
  models: SimulatedModelSpec[];
  schedule?: Partial<Schedule>;
  seed?: number;
  /** Answer any model name, creating it on first use (for scale runs with many models). */
  acceptAnyModel?: boolean;
  defaultModel?: Omit<SimulatedModelSpec, 'name'>;
}

const WORDS = 'statistical process control watches a process over time and flags changes that chance alone does not explain'.split(' ');
const NS = 1e6;
const VERSION = '0.12.6';

const withDefaults = (spec: SimulatedModelSpec): Required<SimulatedModelSpec> => ({
  cv: 0.08,
  evalTokens: 24,
  loadMs: Math.max(50, spec.medianMs * 4),
  sizeBytes: 1_300_000_000,
  ...spec,
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export class SimulatedOllama {
  private readonly models = new Map<string, ModelState>();
  private readonly schedule: Schedule;
  private readonly random: Random;
  private readonly sockets = new Set<Socket>();
  private readonly options: SimulatedOllamaOptions;
  private server: Server | null = null;
  private port = 0;
  /** Requests answered, by model: lets tests and the demo see what happened. */
  readonly served = new Map<string, number>();

  constructor(options: SimulatedOllamaOptions) {
    this.options = options;
    for (const spec of options.models) this.addModel(spec);
    this.schedule = { incidents: options.schedule?.incidents ?? [], faults: options.schedule?.faults ?? [] };
    this.random = createRandom(options.seed ?? 42);
  }

  get url(): string {
    if (!this.server) throw new Error('the simulated Ollama is not listening; call start() first');
    return `http://127.0.0.1:${this.port}`;
  }

  addModel(spec: SimulatedModelSpec): void {
    this.models.set(spec.name, { spec: withDefaults(spec), requests: 0, loaded: false, gpuFraction: 1, pendingFaults: [] });
  }

  /** The next `count` requests for `model` (or every model with '*') fail with `kind`. */
  injectFault(model: string, kind: FaultKind, count = 1): void {
    const targets = model === '*' ? [...this.models.values()] : [this.model(model)];
    for (const state of targets) for (let i = 0; i < count; i++) state.pendingFaults.push(kind);
  }

  /** Drops the model from memory: the next request is a cold start again. */
  unload(model: string): void {
    this.model(model).loaded = false;
  }

  /** Changes the model's speed from now on (a sustained shift applied at run time). */
  setMedian(model: string, medianMs: number): void {
    this.model(model).spec.medianMs = medianMs;
  }

  requestCount(model: string): number {
    return this.models.get(model)?.requests ?? 0;
  }

  private model(name: string): ModelState {
    const state = this.models.get(name);
    if (!state) throw new Error(`the simulated Ollama has no model "${name}"`);
    return state;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.url;
  }

  /** Closes the listener and every open connection (hanging requests included). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/api/version') return sendJson(res, 200, { version: VERSION });
    if (req.method === 'GET' && path === '/api/tags')
      return sendJson(res, 200, { models: [...this.models.values()].map((m) => this.describe(m)) });
    if (req.method === 'GET' && path === '/api/ps') {
      const loaded = [...this.models.values()].filter((m) => m.loaded);
      return sendJson(res, 200, {
        models: loaded.map((m) => ({
          ...this.describe(m),
          size_vram: Math.round(m.spec.sizeBytes * m.gpuFraction),
          expires_at: new Date(Date.now() + 5 * 60_000).toISOString(),
          context_length: 4096,
        })),
      });
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: [...this.models.keys()].map((id) => ({ id, object: 'model', owned_by: 'library' })),
      });
    }
    const dialect = DIALECTS.get(path ?? '');
    if (req.method === 'POST' && dialect) return this.generate(req, res, dialect);
    return sendJson(res, 404, { error: `404 page not found: ${req.method} ${path}` });
  }

  private describe(m: ModelState) {
    return {
      name: m.spec.name,
      model: m.spec.name,
      modified_at: '2026-01-01T00:00:00Z',
      size: m.spec.sizeBytes,
      digest: 'sha256:simulated',
      details: { format: 'gguf', family: 'llama', parameter_size: '1B', quantization_level: 'Q4_K_M' },
    };
  }

  private plan(state: ModelState, index: number, numPredict: unknown, slow: boolean): Plan {
    const effect = incidentEffect(this.schedule.incidents, state.spec.name, index);
    state.gpuFraction = effect.gpuFraction ?? 1;
    const warm = this.random.logNormal(state.spec.medianMs, state.spec.cv + effect.extraCv) * effect.multiplier * (slow ? 100 : 1);
    const load = state.loaded ? 0 : state.spec.loadMs * (0.9 + 0.2 * this.random.next());
    state.loaded = true;
    const evalTokens =
      typeof numPredict === 'number' && numPredict > 0 ? Math.min(numPredict, state.spec.evalTokens) : state.spec.evalTokens;
    // A warm request spends ~10% evaluating the prompt, ~85% generating, the rest in HTTP and scheduling.
    return { total: load + warm, load, promptEval: warm * 0.1, eval: warm * 0.85, promptTokens: 18, evalTokens };
  }

  private async generate(req: IncomingMessage, res: ServerResponse, dialect: WireDialect): Promise<void> {
    const received = process.hrtime.bigint();
    const body = await readJson(req);
    if (!body) return sendJson(res, 400, { error: 'invalid JSON in the request body' });
    const name = typeof body.model === 'string' ? body.model : '';
    let state = this.models.get(name);
    if (!state && this.options.acceptAnyModel && name !== '') {
      this.addModel({ medianMs: 30, ...this.options.defaultModel, name });
      state = this.models.get(name);
    }
    if (!state) return sendJson(res, 404, { error: `model "${name}" not found, try pulling it first` });
    const index = state.requests++;
    this.served.set(name, (this.served.get(name) ?? 0) + 1);
    const fault = state.pendingFaults.shift() ?? scheduledFault(this.schedule.faults, name, index);
    const plan = this.plan(state, index, dialect.maxTokens(body), fault === 'slow');

    switch (fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // the socket stays open until the client gives up or stop() closes it
      case 'http500':
        await sleep(plan.total * 0.2);
        return sendJson(res, 500, { error: 'llama runner process has terminated: exit status 2' });
      case 'garbage':
        await sleep(plan.total * 0.2);
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.end('<html><body>502 Bad Gateway</body></html>\n');
        return;
      default:
        break;
    }

    const elapsedNs = () => Number(process.hrtime.bigint() - received);
    const words = Array.from({ length: fault === 'no-tokens' ? 0 : plan.evalTokens }, (_, i) => `${WORDS[i % WORDS.length]} `);
    const reply: Reply = {
      model: name,
      index,
      body,
      plan,
      tokens: words.length,
      timings: () => ({
        total_duration: elapsedNs(),
        ...(plan.load > 0 ? { load_duration: Math.round(plan.load * NS) } : {}),
        prompt_eval_count: plan.promptTokens,
        prompt_eval_duration: Math.round(plan.promptEval * NS),
        ...(words.length > 0 ? { eval_count: words.length, eval_duration: Math.round(plan.eval * NS) } : {}),
      }),
    };

    if (!dialect.streams(body)) {
      await sleep(plan.total);
      if (fault === 'error-field') return sendJson(res, 200, { error: 'model requires more system memory than is available' });
      return sendJson(res, 200, dialect.whole(reply, words.join('')));
    }

    res.writeHead(200, dialect.streamHeaders);
    res.flushHeaders();
    await sleep(plan.load + plan.promptEval);
    if (res.destroyed) return;
    if (fault === 'error-field') {
      res.end(dialect.error('llama runner process has terminated: signal: killed'));
      return;
    }
    // Tokens go out in a few bursts spread over the eval time (one timer per token would
    // cost more than it models).
    const bursts = Math.min(4, words.length);
    for (let b = 0; b < bursts; b++) {
      const part = words.slice(Math.floor((b * words.length) / bursts), Math.floor(((b + 1) * words.length) / bursts));
      res.write(dialect.chunk(reply, part.join('')));
      if (fault === 'truncate') {
        res.end();
        return;
      }
      await sleep(plan.eval / bursts);
      if (res.destroyed) return;
    }
    if (bursts === 0) await sleep(plan.eval);
    await sleep(Math.max(0, plan.total - elapsedNs() / NS));
    res.end(dialect.end(reply));
  }
}
