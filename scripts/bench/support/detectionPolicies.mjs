// The alert policies the detection benchmark compares, each as a function from a trace to the
// alerts it would raise: [{ start, severity }] with start the 0-based probe index. See
// docs/alerting.md for what each stands for.
import { detectAlerts, SeriesMonitor } from '@llmscope/spc';
import { INTERVAL_SECONDS, STATUS } from './detectionTraces.mjs';

/** The collector's chart as it ships (log, 100-point cleaned baseline, all Nelson rules): one alert per new episode. */
function chartEpisodes(trace, keep) {
  const monitor = new SeriesMonitor({ baselineSize: 100, minPoints: 20, sigma: 'mr', transform: 'log', clean: true, mode: 'frozen' });
  const alerts = [];
  let firing = new Set();
  for (let i = 0; i < trace.latency.length; i++) {
    if (trace.status[i] !== STATUS.ok) continue; // the collector charts ok probes only
    const { hits } = monitor.push(trace.latency[i]);
    const now = new Set(hits.filter(keep));
    for (const rule of now) if (!firing.has(rule)) alerts.push({ start: i, severity: rule === 'R1' ? 'critical' : 'warning' });
    firing = now;
  }
  return alerts;
}

/** Today's provisioned alerts: critical for every new R1 episode, warning for every other episode. */
export const todaysDefault = (trace) => chartEpisodes(trace, () => true);

/** Rule 1 only (a point beyond 3σ of the frozen log-scale limits). */
export const ruleOneOnly = (trace) => chartEpisodes(trace, (rule) => rule === 'R1');

/**
 * What a user writes in Grafana without SPC: p95 latency over 5 minutes above 1.5× the median
 * of the first 100 ok probes, evaluated every minute; one alert each time it starts firing.
 */
export function staticP95(trace) {
  const window = (5 * 60) / INTERVAL_SECONDS;
  const every = 60 / INTERVAL_SECONDS;
  const ok = [];
  const okIndex = [];
  for (let i = 0; i < trace.latency.length; i++)
    if (trace.status[i] === STATUS.ok) {
      ok.push(trace.latency[i]);
      okIndex.push(i);
    }
  const baseline = [...ok.slice(0, 100)].sort((a, b) => a - b);
  const threshold = 1.5 * baseline[50];
  const alerts = [];
  let firing = false;
  let j = 0; // ok probes up to probe i
  for (let i = 100; i < trace.latency.length; i += every) {
    while (j < okIndex.length && okIndex[j] <= i) j++;
    const recent = [];
    for (let r = j - 1; r >= 0 && okIndex[r] > i - window; r--) recent.push(ok[r]);
    if (recent.length === 0) {
      firing = false;
      continue;
    }
    recent.sort((a, b) => a - b);
    const p95 = recent[Math.min(recent.length - 1, Math.ceil(0.95 * recent.length) - 1)];
    const now = p95 > threshold;
    if (now && !firing) alerts.push({ start: i, severity: 'critical' });
    firing = now;
  }
  return alerts;
}

/**
 * The original LLMscope: each probe's latency (whatever its outcome) judged against the mean and
 * standard deviation of the last 100 probes including itself, rules R1–R3.
 */
export function originalLlmscope(trace) {
  const W = 100;
  const x = trace.latency;
  const alerts = [];
  let sum = 0;
  let squares = 0;
  const firing = { R1: false, R2: false, R3: false };
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    squares += x[i] * x[i];
    if (i >= W) {
      sum -= x[i - W];
      squares -= x[i - W] * x[i - W];
    }
    const n = Math.min(i + 1, W);
    if (n < 20) continue;
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1)));
    const r1 = Math.abs(x[i] - mean) > 3 * sd;
    let above = 0;
    let below = 0;
    for (let j = i; j > i - 9; j--) {
      if (x[j] > mean) above++;
      else if (x[j] < mean) below++;
    }
    const r2 = above === 9 || below === 9;
    let up = 0;
    let down = 0;
    for (let j = i; j > i - 5; j--) {
      if (x[j] > x[j - 1]) up++;
      else if (x[j] < x[j - 1]) down++;
    }
    const r3 = up === 5 || down === 5;
    for (const [rule, now] of [
      ['R1', r1],
      ['R2', r2],
      ['R3', r3],
    ]) {
      if (now && !firing[rule]) alerts.push({ start: i, severity: rule === 'R1' ? 'critical' : 'warning' });
      firing[rule] = now;
    }
  }
  return alerts;
}

/** The new default: the collector's alert policy (docs/alerting.md). Latency alerts only; availability is reported apart. */
export function newDefault(trace, detectors = ['CUSUM']) {
  return newDefaultEpisodes(trace).filter((e) => detectors.includes(e.detector) && e.severity !== 'info');
}

export function newDefaultEpisodes(trace) {
  const outcomes = [];
  for (let i = 0; i < trace.latency.length; i++) {
    outcomes.push(
      trace.status[i] === STATUS.ok
        ? { status: 'ok', latencyMs: trace.latency[i], coldStart: trace.cold[i] === 1 }
        : { status: trace.status[i] === STATUS.timeout ? 'timeout' : 'error' },
    );
  }
  return detectAlerts(outcomes, { intervalSeconds: INTERVAL_SECONDS });
}

export const POLICIES = [
  { name: 'new default', run: newDefault },
  { name: "today's default", run: todaysDefault },
  { name: 'R1 only', run: ruleOneOnly },
  { name: 'static p95', run: staticP95 },
  { name: 'original LLMscope', run: originalLlmscope },
];
