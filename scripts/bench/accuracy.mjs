// 1. Measurement accuracy. The simulated Ollama (its own process) holds each reply for a
// fixed, known time and reports that time as total_duration (measured on its side from the
// request's arrival to the final chunk). The collector's Ollama provider records the
// latency of the same request; its error is recorded latency − total_duration, i.e. what
// the collector adds (loopback, HTTP, parsing, its own event loop). The peer is a bare
// fetch loop timing the same request to the end of the same stream. Both run interleaved
// at the same rate against the same server, so they see the same conditions.
import { performance } from 'node:perf_hooks';
import { OllamaProvider } from '../../collector/dist/providers/ollama.js';
import { startChild } from './support/children.mjs';
import { goal, num, progress, quantile, sleep, times } from './support/stats.mjs';

export const name = 'measurement accuracy';

const MODEL = 'bench-accuracy';
const DELAY_MS = 20;
const PROBES_PER_SECOND = 20;
const PROMPT = 'Reply with exactly one short sentence: what is statistical process control?';
const OPTIONS = { num_predict: 32, temperature: 0, seed: 42 };

/** The peer: a plain fetch of the same streamed request, timed to the end of the body. */
async function bareFetchProbe(url) {
  const started = performance.now();
  const response = await fetch(`${url}/api/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, prompt: PROMPT, stream: true, options: OPTIONS }),
  });
  const text = await response.text();
  const latencyMs = performance.now() - started;
  const lines = text.trim().split('\n');
  const final = JSON.parse(lines[lines.length - 1]);
  return { latencyMs, serverMs: final.total_duration / 1e6 };
}

export async function run({ quick }) {
  const probes = quick ? 200 : 2000;
  const simulator = await startChild('simulator.mjs', {
    // cv 0: every warm reply takes exactly DELAY_MS on the server's clock.
    models: [{ name: MODEL, medianMs: DELAY_MS, cv: 0, loadMs: 50 }],
  });
  try {
    const url = simulator.ready.url;
    const provider = new OllamaProvider({ url });
    const probe = () => provider.probe({ model: MODEL, prompt: PROMPT, options: OPTIONS, timeoutMs: 10_000 });
    // The first request loads the model; a few more warm both HTTP clients' connections.
    for (let i = 0; i < 5; i++) {
      await probe();
      await bareFetchProbe(url);
    }
    progress(`${probes} probes each at ${PROBES_PER_SECOND}/s, reply held ${DELAY_MS} ms (${(probes / PROBES_PER_SECOND).toFixed(0)} s)`);
    const ours = [];
    const peer = [];
    const serverHeld = [];
    const failures = [];
    const period = 1000 / PROBES_PER_SECOND;
    const start = performance.now();
    const inFlight = [];
    for (let i = 0; i < probes; i++) {
      const slot = start + i * period;
      await sleep(Math.max(0, slot - performance.now()));
      inFlight.push(
        probe().then((result) => {
          if (result.status !== 'ok') failures.push(result.error);
          else {
            ours.push(result.latencyMs - result.totalDurationMs);
            serverHeld.push(result.totalDurationMs);
          }
        }),
      );
      // The peer's request goes out half a period later, so the two never overlap.
      await sleep(Math.max(0, slot + period / 2 - performance.now()));
      inFlight.push(bareFetchProbe(url).then(({ latencyMs, serverMs }) => peer.push(latencyMs - serverMs)));
    }
    await Promise.all(inFlight);
    if (failures.length > 0) throw new Error(`${failures.length} probe(s) failed, e.g. ${failures[0]}`);
    const p = (values, q) => quantile(values, q);
    const ms = (value) => `${num(value, 2)} ms`;
    const note = `${probes} probes each, ${PROBES_PER_SECOND}/s, server-held ${ms(p(serverHeld, 0.5))} median`;
    return [
      {
        what: 'accuracy: recorded − true latency, p50',
        figure: ms(p(ours, 0.5)),
        peer: `${ms(p(peer, 0.5))} bare fetch`,
        ratio: times(p(ours, 0.5) / p(peer, 0.5), 2),
        goal: '',
        note,
      },
      {
        what: 'accuracy: recorded − true latency, p99',
        figure: ms(p(ours, 0.99)),
        peer: `${ms(p(peer, 0.99))} bare fetch`,
        ratio: times(p(ours, 0.99) / p(peer, 0.99), 2),
        goal: goal('p99 < 2 ms', p(ours, 0.99) < 2),
        note,
      },
    ];
  } finally {
    await simulator.stop();
  }
}
