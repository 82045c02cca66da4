// The collector's main loop: for every series (target × model × probe) probe on a
// cadence, measure the host during the probe, run SPC on ok latencies, and hand each
// sample with its violation episodes and new series state to the store as one group.
import { createHash, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { SIGMA_FLOOR, type SeriesMonitorOptions } from '@llmscope/spc';
import type { Logger } from 'pino';
import { formatDuration } from '../config/duration.js';
import type { CollectorConfig, ProbeConfig, TargetConfig } from '../config/schema.js';
import { startDeadline } from '../providers/deadline.js';
import { describeError } from '../providers/failure.js';
import { createProvider } from '../providers/index.js';
import { acceptableModels, type ReplyLimits } from '../providers/replyLimits.js';
import { SERVER_NAMES, type ProbeResult, type Provider } from '../providers/types.js';
import { seriesKeyString, type RecordedSample, type SeriesKey, type StoreGroup, type StoreItem } from '../store/rows.js';
import { sanitizeSample } from '../store/sanitizeSample.js';
import type { StoredSeriesState } from '../store/seriesStateQueries.js';
import type { ProbeWindow } from '../telemetry/hostSampler.js';
import type { ProbeTelemetry } from '../telemetry/types.js';
import { createDesignSlicer } from './designSlices.js';
import type { PipelineObserver } from './observer.js';
import { noLoopLag, type LoopLag } from './loopLagWatch.js';
import { ResidencyWatch } from './residencyWatch.js';
import { CadenceScheduler } from './scheduler.js';
import { SeriesAlerts, seriesAlertPolicy, type AlertObservation } from './seriesAlerts.js';
import { SeriesTracker, type Observation } from './seriesTracker.js';

export interface PipelineDeps {
  config: CollectorConfig;
  logger: Logger;
  observer: PipelineObserver;
  store: { enqueue(group: StoreGroup): void };
  host: { beginWindow(): ProbeWindow };
  /** The collector's own event-loop lag during each probe; absent: never suspect. */
  loopLag?: LoopLag;
  /** What a previous run left in series_states. */
  storedStates: readonly StoredSeriesState[];
  createProvider?: (target: TargetConfig, limits: ReplyLimits) => Provider;
}

interface Series {
  key: SeriesKey;
  target: TargetConfig;
  probe: ProbeConfig;
  provider: Provider;
  promptHash: string;
  tracker: SeriesTracker;
  /** What pages (docs/alerting.md); persisted with the tracker's state. */
  alerts: SeriesAlerts;
  /** Ok samples taken in since the state was last handed to the store. */
  unsavedSamples: number;
  /** Ok samples after which the next periodic save of the state comes (see statePhase). */
  stateEvery: number;
  /** What stateEvery becomes after that save: the series' phase is applied once, then every STATE_EVERY_SAMPLES. */
  nextStateEvery: number;
  scheduler: CadenceScheduler;
  /** The series' samples being recorded, in probe order (see probeOnce). */
  recording: Promise<void>;
  /** How many of them are waiting or in progress. */
  backlog: number;
}

/** One probe's outcome, handed from the probe to its recording. */
interface ProbeTaken {
  ts: string;
  result: ProbeResult;
  lagMs: number;
  suspect: boolean;
  telemetry: ProbeTelemetry;
}

/**
 * A series' SPC state (a jsonb upsert of a few kB) is stored every this many ok samples, and
 * at once when an episode opens or closes, a baseline freezes, or the collector stops; not
 * with every sample. After a crash the samples stored since are replayed into it on start.
 */
export const STATE_EVERY_SAMPLES = 50;
/**
 * Series started together would all save their state in the same second, every 50 samples:
 * 1 000 snapshots and upserts at once, a stall every 50 s at 1 000 series × 1/s (docs/scaling.md).
 * So each series' saves are shifted by a phase (its index mod STATE_EVERY_SAMPLES): one period
 * of STATE_EVERY_SAMPLES − phase, then every STATE_EVERY_SAMPLES as before. The rate of saves is
 * unchanged and no series goes longer than STATE_EVERY_SAMPLES without one.
 */
const statePhase = (index: number) => index % STATE_EVERY_SAMPLES;

/** Samples of one series waiting to be recorded beyond which it skips its slots (see probeOnce). */
const MAX_RECORD_BACKLOG = 120;

/** How long stop() lets probes in flight finish before aborting them. */
const STOP_GRACE_MS = 2000;

export function monitorOptions(spc: CollectorConfig['spc']): SeriesMonitorOptions {
  return {
    baselineSize: spc.baselineSize,
    minPoints: Math.min(spc.minPoints, spc.mode === 'rolling' ? (spc.window ?? spc.baselineSize) : spc.baselineSize),
    sigma: spc.sigma,
    transform: spc.transform,
    clean: spc.clean,
    mode: spc.mode,
    window: spc.window ?? spc.baselineSize,
    rules: spc.rules,
  };
}

export class Pipeline {
  private readonly deps: PipelineDeps;
  private readonly series = new Map<string, Series>();
  private readonly stored: Map<string, StoredSeriesState>;
  private readonly background: CadenceScheduler[] = [];
  private readonly providers = new Map<string, Provider>();
  private readonly shutdown = new AbortController();
  /** Solves alert detector designs in slices, so the event loop keeps turning (designSlices.ts). */
  private readonly designs = createDesignSlicer();
  private readonly unreachable = new Set<string>();
  private stopped = false;

  constructor(deps: PipelineDeps) {
    this.deps = deps;
    this.stored = new Map(deps.storedStates.map((s) => [seriesKeyString(s), s]));
    // Every probe in flight listens on this signal until it ends (startDeadline removes it),
    // so more than 10 series is not a leak; test/reliability's memory soak checks that.
    setMaxListeners(0, this.shutdown.signal);
  }

  get seriesCount(): number {
    return this.series.size;
  }

  get seriesKeys(): SeriesKey[] {
    return [...this.series.values()].map((s) => s.key);
  }

  /** Creates the series it can (configured models, or what each server lists) and starts probing. */
  async start(): Promise<void> {
    const { config, logger } = this.deps;
    const make = this.deps.createProvider ?? createProvider;
    await Promise.all(
      config.targets.map(async (target) => {
        const provider = make(target, config.modelServer);
        this.providers.set(target.name, provider);
        const fixed = target.models ?? config.models;
        if (fixed) this.ensureSeries(target, fixed);
        else {
          await this.discover(target);
          this.every(config.discoveryInterval, config.discoveryInterval, () => this.discover(target));
        }
        if (provider.residency) this.watchResidency(target, provider.residency.bind(provider));
      }),
    );
    logger.debug(`pipeline started with ${this.series.size} series`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const grace = setTimeout(() => this.shutdown.abort(), STOP_GRACE_MS);
    await Promise.all([...this.background, ...[...this.series.values()].map((s) => s.scheduler)].map((s) => s.stop()));
    clearTimeout(grace);
    await Promise.all([...this.series.values()].map((s) => s.recording));
    const asOf = new Date().toISOString();
    for (const s of this.series.values()) if (s.unsavedSamples > 0) this.saveState(s, asOf);
    this.designs.close();
    await Promise.all([...this.providers.values()].map((p) => p.close?.()));
  }

  private saveState(series: Series, asOf: string): void {
    series.unsavedSamples = 0;
    this.deps.store.enqueue([this.stateItem(series, asOf)]);
  }

  private stateItem(series: Series, asOf: string): StoreItem {
    return {
      kind: 'series-state',
      row: { ...series.key, state: { ...series.tracker.snapshot(), alerts: series.alerts.snapshot() }, asOf },
    };
  }

  /** Forgets the frozen limits and open episodes of matching series; returns how many. */
  async resetBaselines(filter: Partial<SeriesKey>): Promise<number> {
    let count = 0;
    for (const s of this.series.values()) {
      if (
        (filter.target !== undefined && filter.target !== s.key.target) ||
        (filter.model !== undefined && filter.model !== s.key.model) ||
        (filter.probe !== undefined && filter.probe !== s.key.probe)
      )
        continue;
      s.tracker.reset();
      const at = new Date().toISOString();
      const alertItems = s.alerts.reset(at);
      this.deps.store.enqueue([{ kind: 'baseline-reset', row: { ...s.key, at } }, ...alertItems, this.stateItem(s, at)]);
      s.unsavedSamples = 0;
      this.deps.observer.activeViolationsChanged(s.key, 0);
      this.deps.observer.activeAlertsChanged(s.key, s.alerts.active);
      count++;
    }
    if (count > 0) this.deps.logger.info({ filter }, `baseline reset for ${count} series; Phase I starts again`);
    return count;
  }

  private readonly warned = new Set<string>();

  /** Logs what `key` names once per run, not with every discovery. */
  private warnOnce(key: string, log: () => void): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    log();
  }

  private every(intervalMs: number, offsetMs: number, task: () => Promise<void>): void {
    const scheduler = new CadenceScheduler({ intervalMs, offsetMs, logger: this.deps.logger, task });
    this.background.push(scheduler);
    if (!this.stopped) scheduler.start();
  }

  private async discover(target: TargetConfig): Promise<void> {
    const { logger, config } = this.deps;
    const provider = this.providers.get(target.name)!;
    const server = SERVER_NAMES[provider.kind];
    let models: string[];
    const deadline = startDeadline(10_000, this.shutdown.signal);
    try {
      models = await provider.listModels(deadline.signal);
    } catch (error) {
      if (!this.unreachable.has(target.name)) {
        this.unreachable.add(target.name);
        const cause = (error as Error).cause ?? error;
        logger.warn(
          { reason: describeError(cause) },
          `no ${server} answers at ${provider.baseUrl}; retrying every ${formatDuration(config.discoveryInterval)}`,
        );
      }
      return;
    } finally {
      deadline.dispose();
    }
    const listed = models.length;
    const { models: usable, refused, overLimit } = acceptableModels(models, config.modelServer);
    models = usable;
    if (refused.length > 0 || overLimit > 0)
      this.warnOnce(`${target.name}:models:${refused.length}:${overLimit}`, () => {
        const parts = [];
        if (refused.length > 0)
          parts.push(`${refused.length} name(s) that cannot be series labels, e.g. ${refused.slice(0, 3).join('; ')}`);
        if (overLimit > 0) parts.push(`${overLimit} model(s) beyond modelServer.maxModels (${config.modelServer.maxModels})`);
        logger.warn(`${server} at ${provider.baseUrl} lists ${listed} model(s); left out: ${parts.join(' and ')}`);
      });
    if (this.unreachable.delete(target.name) || this.series.size === 0) {
      if (models.length === 0)
        logger.warn(
          `${server} at ${provider.baseUrl} has no models (pull one, e.g. \`ollama pull llama3.2:1b\`); checking again every ${formatDuration(config.discoveryInterval)}`,
        );
      else
        logger.info(
          `${server} at ${provider.baseUrl} answers with ${models.length} model(s): ${models.slice(0, 20).join(', ')}${models.length > 20 ? ', …' : ''}`,
        );
    }
    this.ensureSeries(target, models);
  }

  private ensureSeries(target: TargetConfig, models: readonly string[]): void {
    const { config, logger, observer } = this.deps;
    const provider = this.providers.get(target.name)!;
    const fresh: Array<Omit<Series, 'scheduler' | 'recording' | 'backlog'>> = [];
    // A Set, not a scan of `fresh`: setting up 10 000 models took a minute when it was quadratic.
    const freshKeys = new Set<string>();
    for (const model of models) {
      for (const probe of config.probes) {
        const key: SeriesKey = { target: target.name, model, probe: probe.name };
        if (this.series.has(seriesKeyString(key)) || freshKeys.has(seriesKeyString(key))) continue;
        freshKeys.add(seriesKeyString(key));
        const tracker = new SeriesTracker(key, monitorOptions(config.spc));
        // Unless the stored state is current, store it with the next ok sample: a new series
        // then has a state row to replay onto after a crash before its 50th sample, and a
        // replayed or restarted one does not replay the same samples again and again.
        const current = this.restoreTracker(tracker);
        const alerts = new SeriesAlerts(key, seriesAlertPolicy(config, target, probe));
        this.restoreAlerts(alerts);
        fresh.push({
          key,
          target,
          probe,
          provider,
          promptHash: createHash('sha256').update(probe.prompt).digest('hex'),
          tracker,
          alerts,
          // A current state: the shifted period comes first. A new one saves at its first
          // sample (above), and the shifted period after that.
          unsavedSamples: current ? 0 : STATE_EVERY_SAMPLES - 1,
          stateEvery: current ? STATE_EVERY_SAMPLES - statePhase(fresh.length) : STATE_EVERY_SAMPLES,
          nextStateEvery: current ? STATE_EVERY_SAMPLES : STATE_EVERY_SAMPLES - statePhase(fresh.length),
        });
      }
    }
    // Spread the new series over one interval so they do not all probe at the same instant.
    const created = fresh.map((part, i) => {
      const series: Series = {
        ...part,
        recording: Promise.resolve(),
        backlog: 0,
        scheduler: new CadenceScheduler({
          intervalMs: config.interval,
          offsetMs: (i * config.interval) / fresh.length,
          logger,
          task: () => this.probeOnce(series),
        }),
      };
      this.series.set(seriesKeyString(series.key), series);
      observer.seriesKnown(series.key);
      observer.activeViolationsChanged(series.key, series.tracker.activeEpisodes);
      observer.activeAlertsChanged(series.key, series.alerts.active);
      return series;
    });
    // Started in a pass of their own, after the setup above (~0.5 s for 1 000 series): started
    // during it, the offsets of the first third had passed before the loop was free, and those
    // series all probed at once on a cold connection pool (docs/scaling.md, "Probe cadence at scale").
    if (!this.stopped) for (const series of created) series.scheduler.start();
  }

  /**
   * The alert detector resumes from the saved state (its policy permitting), even when the
   * chart had to restart, and takes in the samples stored since, failures included; their
   * episodes were stored with them, and a replayed one gets the same uid (seriesAlerts.ts).
   */
  private restoreAlerts(alerts: SeriesAlerts): void {
    const stored = this.stored.get(seriesKeyString(alerts.key));
    if (!stored || !alerts.restore((stored.state as { alerts?: unknown } | undefined)?.alerts)) return;
    try {
      for (const sample of stored.samplesSince) alerts.replay(sample);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, series: alerts.key },
        'the samples stored after the saved alert state cannot be replayed; the alert detector starts a new Phase I',
      );
      alerts.restart();
    }
  }

  /** Restores a series' stored state; true when the stored state is current (nothing replayed). */
  private restoreTracker(tracker: SeriesTracker): boolean {
    const { logger } = this.deps;
    const stored = this.stored.get(seriesKeyString(tracker.key));
    if (!stored) return false;
    let restored = false;
    try {
      restored = tracker.restore(stored.state);
    } catch (error) {
      logger.warn({ err: error, series: tracker.key }, 'stored SPC state is unreadable; starting a new baseline');
      return false;
    }
    if (restored) {
      try {
        for (const s of stored.samplesSince)
          if (s.status === 'ok' && s.latencyMs !== null) tracker.replay({ uid: s.uid, ts: s.ts, latencyMs: s.latencyMs });
      } catch (error) {
        logger.warn(
          { err: error, series: tracker.key },
          'the samples stored after the saved SPC state cannot be replayed; starting a new baseline',
        );
        tracker.reset();
        return false;
      }
      logger.debug(
        { series: tracker.key },
        `SPC state restored as of ${stored.asOf.toISOString()}, ${stored.samplesSince.length} later sample(s) replayed`,
      );
      return stored.samplesSince.length === 0;
    }
    logger.info({ series: tracker.key }, 'SPC settings changed since the stored state; starting a new baseline');
    return false;
  }

  private async probeOnce(series: Series): Promise<void> {
    const { config, host, logger } = this.deps;
    // A series whose samples cannot be recorded (a design that never finishes) stops
    // probing rather than holding ever more samples in memory.
    if (series.backlog >= MAX_RECORD_BACKLOG) return;
    const ts = new Date().toISOString();
    const window = host.beginWindow();
    const lag = (this.deps.loopLag ?? noLoopLag).beginWindow();
    const result = await series.provider.probe({
      model: series.key.model,
      prompt: series.probe.prompt,
      options: series.probe.options,
      timeoutMs: config.timeout,
      signal: this.shutdown.signal,
    });
    const lagMs = lag.end();
    // A probe we aborted ourselves to shut down says nothing about the server.
    if (this.shutdown.signal.aborted && result.status !== 'ok') return;
    const telemetry = window.end();
    // Our own loop was late while this reply came in: the latency measures us, not the server.
    // Kept and charted, never fed to SPC (docs/reliability.md, "Measurement integrity").
    const suspect = result.status === 'ok' && lagMs > config.telemetry.suspectLoopLag;
    // What follows the probe runs in the series' own queue, not in the scheduler's task: the
    // probe that ends the alert detector's Phase I waits for its design, and when 1 000 series
    // end it in the same second they queued for the designs for seconds, skipping slots
    // (docs/scaling.md, "Probe cadence at scale"). The queue keeps each series' samples in order.
    series.backlog++;
    const taken: ProbeTaken = { ts, result, lagMs, suspect, telemetry };
    series.recording = series.recording.then(async () => {
      try {
        await this.record(series, taken);
      } catch (error) {
        logger.error({ err: error, series: series.key }, 'a sample could not be recorded');
      } finally {
        series.backlog--;
      }
    });
  }

  /** SPC, the alert policy, the store and the metrics take in one probe; one at a time per series. */
  private async record(series: Series, { ts, result, lagMs, suspect, telemetry }: ProbeTaken): Promise<void> {
    const { config, store, observer, logger } = this.deps;
    // Out-of-range values a server sent are nulled here, so SPC, the metrics and the row agree.
    const sample: RecordedSample = sanitizeSample({
      uid: randomUUID(),
      ts,
      collector: config.collector,
      ...series.key,
      provider: series.provider.kind,
      promptHash: series.promptHash,
      prompt: config.storePrompts ? series.probe.prompt : null,
      status: suspect ? 'suspect' : result.status,
      error: suspect
        ? `the collector's event loop lagged ${Math.round(lagMs)} ms during this probe (bound ${config.telemetry.suspectLoopLag} ms); latency not trusted, kept out of SPC`
        : result.error,
      coldStart: result.coldStart,
      latencyMs: result.latencyMs,
      ttftMs: result.ttftMs,
      totalDurationMs: result.totalDurationMs,
      loadDurationMs: result.loadDurationMs,
      promptEvalCount: result.promptEvalCount,
      promptEvalDurationMs: result.promptEvalDurationMs,
      evalCount: result.evalCount,
      evalDurationMs: result.evalDurationMs,
      tokensPerSecond: result.tokensPerSecond,
      ...telemetry,
      ...series.tracker.currentLimits(),
    });
    await this.solveAlertDesign(series, sample);
    const before = series.tracker.activeEpisodes;
    let items: StoreItem[] = [];
    let opened: Observation['opened'] = [];
    // Errors, timeouts and suspect samples are stored and counted but kept out of the limits.
    if (sample.status === 'ok') {
      try {
        let zeroSigmaBaseline: boolean | undefined;
        ({ items, opened, zeroSigmaBaseline } = series.tracker.observe(sample));
        if (zeroSigmaBaseline)
          logger.warn(
            { series: series.key },
            `the ${config.spc.baselineSize} baseline latencies are all equal (sigma 0): no limits can be drawn from them, so the series stays in Phase I until its latencies vary`,
          );
      } catch (error) {
        logger.error({ err: error, series: series.key }, 'SPC could not take this sample; it is stored without limits');
      }
    }
    const after = series.tracker.activeEpisodes;
    const alerts = this.observeAlerts(series, sample);
    const group: StoreItem[] = [{ kind: 'sample', row: sample }, ...items, ...alerts.items];
    if (sample.status === 'ok') series.unsavedSamples++;
    const episodesChanged =
      opened.length > 0 ||
      after !== before ||
      items.some((i) => i.kind === 'baseline') ||
      alerts.raised.length > 0 ||
      alerts.active !== null;
    if (series.unsavedSamples >= series.stateEvery || (episodesChanged && series.unsavedSamples > 0)) {
      if (series.unsavedSamples >= series.stateEvery) {
        series.stateEvery = series.nextStateEvery;
        series.nextStateEvery = STATE_EVERY_SAMPLES;
      }
      series.unsavedSamples = 0;
      // Stamped now, not with the probe's start: a baseline reset during this probe is older.
      group.push(this.stateItem(series, new Date().toISOString()));
    }
    store.enqueue(group);
    observer.sampleRecorded(series.key, sample);
    for (const { rule, severity } of opened) observer.violationOpened(series.key, rule, severity);
    if (after !== before) observer.activeViolationsChanged(series.key, after);
    for (const { severity, detector } of alerts.raised) observer.alertRaised(series.key, severity, detector);
    if (alerts.active) observer.activeAlertsChanged(series.key, alerts.active);
  }

  /**
   * The probe that ends the alert detector's Phase I needs its thresholds solved (~0.07 s of
   * CPU): that happens in short slices with pauses between them, and the synchronous
   * monitor then finds them cached, so the probes in flight are not held up (docs/alerting.md).
   */
  private async solveAlertDesign(series: Series, sample: RecordedSample): Promise<void> {
    try {
      const request = series.alerts.designNeededBy(sample);
      const solved = request ? await this.designs.prime(request) : null;
      if (solved)
        this.deps.logger.debug(
          { series: series.key, slices: solved.slices, longestSliceMs: Math.round(solved.longestSliceMs) },
          `alert thresholds solved in ${solved.slices} slices of the event loop`,
        );
    } catch (error) {
      this.deps.logger.warn(
        { err: error, series: series.key },
        'the alert thresholds could not be solved in slices; the alert monitor solves them in one go instead',
      );
    }
  }

  /** The alert policy's view of this probe; a failure there never loses the sample. */
  private observeAlerts(series: Series, sample: RecordedSample): AlertObservation {
    const { logger } = this.deps;
    try {
      const observation = series.alerts.observe(sample);
      const model = observation.modelReady;
      if (model) {
        const { center, sigma, design } = model;
        logger.info(
          { series: series.key },
          `alert detector ready: median ${Math.exp(center).toFixed(1)} ms, σ(ln) ${sigma.toFixed(4)}, k ${design.k.toFixed(2)}, h ${design.hWarning.toFixed(2)} (warning) / ${design.hCritical.toFixed(2)} (critical)`,
        );
        if (model.sigmaFloored)
          logger.warn(
            { series: series.key },
            `the alert baseline has no spread (identical latencies); σ is floored at ${SIGMA_FLOOR} so only large changes alert`,
          );
        if (!design.budgetMet)
          logger.warn(
            { series: series.key },
            'this series is too noisy for its minimum effect to meet the false-alarm budget; alerts use the widest interval (raise alerts.minEffect or probe more often)',
          );
      }
      return observation;
    } catch (error) {
      logger.error({ err: error, series: series.key }, 'the alert policy could not take this sample');
      return { items: [], raised: [], active: null, modelReady: null };
    }
  }

  /** Polls a provider that reports model residency and stores what changed as model events. */
  private watchResidency(target: TargetConfig, read: NonNullable<Provider['residency']>): void {
    const watch = new ResidencyWatch(target.name, read, this.deps.logger);
    this.every(this.deps.config.telemetry.psInterval, 0, async () => {
      const deadline = startDeadline(5000, this.shutdown.signal);
      try {
        const events = await watch.poll(deadline.signal);
        if (events.length > 0) this.deps.store.enqueue(events);
      } finally {
        deadline.dispose();
      }
    });
  }
}
