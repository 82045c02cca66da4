// Detection benchmark: false alerts on in-control weeks and detection delay on incidents, for
// the new default alert policy and its peers, on the same seeded traces in the same run. Uses
// the pure @llmscope/spc library (no HTTP, no database). `npm run bench -- --only detection`.
// What the rows mean: docs/alerting.md "How it was measured".
import { quantile, progress } from './support/stats.mjs';
import { POLICIES, newDefaultEpisodes } from './support/detectionPolicies.mjs';
import { INCIDENTS, INTERVAL_SECONDS, incidentTrace, iidWeek, realisticWeek, STATUS } from './support/detectionTraces.mjs';

export const name = 'detection';

const IN_CONTROL = { 'i.i.d. week': iidWeek, 'realistic week': realisticWeek };
/** Delay goals (median, in probes) per incident class, and which classes need recall ≥ 99 %. */
const DELAY_GOALS = { 'step ×2': 2, 'step ×1.5': 4, 'step ×1.25': 20, 'drift +50 %/h': (30 * 60) / INTERVAL_SECONDS };
const RECALL_CLASSES = ['step ×2', 'step ×1.5', 'step ×1.25'];

const fmt = (v, digits = 1) => (Number.isFinite(v) ? String(Number(v.toFixed(digits))) : '—');
const minutes = (probes) => (probes * INTERVAL_SECONDS) / 60;

export async function run({ quick }) {
  const weekSeeds = quick ? 4 : 20;
  const incidentSeeds = quick ? 30 : 200;
  const started = Date.now();
  const results = Object.fromEntries(POLICIES.map((p) => [p.name, { weeks: {}, incidents: {} }]));
  const availability = { alerts: 0, events: 0, caught: 0, weeks: 0 };

  for (const [kind, make] of Object.entries(IN_CONTROL)) {
    for (const p of POLICIES) results[p.name].weeks[kind] = { critical: [], warningPerDay: [] };
    for (let seed = 1; seed <= weekSeeds; seed++) {
      const trace = make(seed);
      for (const p of POLICIES) {
        const alerts = p.run(trace);
        results[p.name].weeks[kind].critical.push(alerts.filter((a) => a.severity === 'critical').length);
        results[p.name].weeks[kind].warningPerDay.push(alerts.filter((a) => a.severity === 'warning').length / 7);
      }
      if (kind === 'realistic week') countAvailability(trace, availability);
    }
    progress(`${kind}: ${weekSeeds} seeds (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  for (const kind of Object.keys(INCIDENTS)) {
    for (const p of POLICIES) results[p.name].incidents[kind] = [];
    for (let seed = 1; seed <= incidentSeeds; seed++) {
      const trace = incidentTrace(kind, seed);
      for (const p of POLICIES) {
        const first = p.run(trace).find((a) => a.start >= trace.onset && a.start < trace.end);
        results[p.name].incidents[kind].push(first ? first.start - trace.onset + 1 : Infinity);
      }
    }
  }
  progress(`incidents: ${incidentSeeds} seeds × ${Object.keys(INCIDENTS).length} classes (${Math.round((Date.now() - started) / 1000)} s)`);
  return rows(results, availability, { weekSeeds, incidentSeeds });
}

/** Timeout bursts and failed-fast blocks are real outages: did the availability detector page on each? */
function countAvailability(trace, tally) {
  const episodes = newDefaultEpisodes(trace).filter((e) => e.detector === 'availability');
  tally.alerts += episodes.length;
  tally.weeks += 1;
  for (let i = 0; i < trace.status.length; i++) {
    if (trace.status[i] === STATUS.ok || (i > 0 && trace.status[i - 1] !== STATUS.ok)) continue;
    let end = i;
    while (end + 1 < trace.status.length && trace.status[end + 1] !== STATUS.ok) end++;
    tally.events += 1;
    if (episodes.some((e) => e.start >= i && e.start <= end)) tally.caught += 1;
  }
}

function delayStats(delays) {
  const found = delays.filter(Number.isFinite);
  return {
    median: quantile(
      delays.map((d) => (Number.isFinite(d) ? d : 1e9)),
      0.5,
    ),
    p90: quantile(
      delays.map((d) => (Number.isFinite(d) ? d : 1e9)),
      0.9,
    ),
    recall: found.length / delays.length,
  };
}

function rows(results, availability, { weekSeeds, incidentSeeds }) {
  const mine = results['new default'];
  const peers = POLICIES.slice(1).map((p) => p.name);
  const out = [];
  const verdict = (met) => (met ? 'PASS' : 'MISS');
  const weekCell = (values) => `${fmt(quantile(values, 0.5))} · ${fmt(quantile(values, 0.9))}`;
  const delayCell = (delays) => {
    const s = delayStats(delays);
    const d = (v) => (v >= 1e9 ? 'none' : fmt(v, 0));
    return `${d(s.median)} · ${d(s.p90)} probes (${s.median >= 1e9 ? '—' : fmt(minutes(s.median), 2)} min) · ${fmt(100 * s.recall, 1)} %`;
  };
  for (const kind of Object.keys(IN_CONTROL)) {
    const critical = mine.weeks[kind].critical;
    const warning = mine.weeks[kind].warningPerDay;
    out.push({
      what: `${kind}: false critical / series-week (median · p90, ${weekSeeds} seeds)`,
      figure: weekCell(critical),
      peer: peers.map((p) => `${p} ${weekCell(results[p].weeks[kind].critical)}`).join('; '),
      ratio: '',
      goal: `p90 ≤ 1: ${verdict(quantile(critical, 0.9) <= 1)}`,
    });
    out.push({
      what: `${kind}: false warnings / series-day (median · p90)`,
      figure: weekCell(warning),
      peer: peers.map((p) => `${p} ${weekCell(results[p].weeks[kind].warningPerDay)}`).join('; '),
      ratio: '',
      goal: `p90 ≤ 1: ${verdict(quantile(warning, 0.9) <= 1)}`,
    });
  }
  for (const kind of Object.keys(INCIDENTS)) {
    const s = delayStats(mine.incidents[kind]);
    const goals = [];
    if (DELAY_GOALS[kind] !== undefined) goals.push(`median ≤ ${DELAY_GOALS[kind]} probes: ${verdict(s.median <= DELAY_GOALS[kind])}`);
    if (RECALL_CLASSES.includes(kind)) goals.push(`recall ≥ 99 %: ${verdict(s.recall >= 0.99)}`);
    out.push({
      what: `${kind}: delay median · p90, recall (${incidentSeeds} seeds)`,
      figure: delayCell(mine.incidents[kind]),
      peer: peers.map((p) => `${p} ${delayCell(results[p].incidents[kind])}`).join('; '),
      ratio: '',
      goal: goals.join('; ') || 'reported',
    });
  }
  for (const p of peers) out.push(comparison(mine, results[p], p));
  out.push({
    what: 'availability pages on realistic weeks (timeout bursts, failed-fast blocks)',
    figure: `${availability.caught} of ${availability.events} failure runs paged`,
    peer: `${fmt(availability.alerts / availability.weeks)} availability alerts / series-week`,
    ratio: '',
    goal: 'reported (real outages, not false alerts)',
  });
  return out;
}

/** Better than a peer on both axes: fewer false alerts on both kinds of week and no slower on any goal class. */
function comparison(mine, peer, name) {
  const worse = [];
  for (const kind of Object.keys(IN_CONTROL)) {
    const total = (r) =>
      quantile(
        r.weeks[kind].critical.map((c, i) => c + 7 * r.weeks[kind].warningPerDay[i]),
        0.5,
      );
    if (total(mine) > total(peer)) worse.push(`more false alerts on the ${kind} (${fmt(total(mine))} vs ${fmt(total(peer))} a week)`);
  }
  for (const kind of Object.keys(DELAY_GOALS)) {
    const a = delayStats(mine.incidents[kind]);
    const b = delayStats(peer.incidents[kind]);
    if (a.median > b.median || a.recall < b.recall)
      worse.push(
        `${kind}: ${fmt(a.median, 0)} vs ${b.median >= 1e9 ? 'none' : fmt(b.median, 0)} probes, recall ${fmt(100 * a.recall)} vs ${fmt(100 * b.recall)} %`,
      );
  }
  const falsePerWeek = (r) =>
    quantile(
      r.weeks['realistic week'].critical.map((c, i) => c + 7 * r.weeks['realistic week'].warningPerDay[i]),
      0.5,
    );
  return {
    what: `new default vs ${name}: fewer false alerts and no slower`,
    figure: worse.length === 0 ? 'yes' : 'no',
    peer: worse.join('; ') || 'better or equal on every row',
    ratio: '',
    goal: worse.length === 0 ? 'PASS' : 'MISS (see note)',
    note:
      worse.length === 0
        ? ''
        : `slower by design: one point never pages (2 needed) and an alert needs the +20 % effect (the drift reaches it at probe 96); ${name} buys its speed with ${fmt(falsePerWeek(peer), 0)} false alerts a realistic week`,
  };
}
