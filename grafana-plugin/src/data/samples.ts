import type { DataFrame, Field } from '@grafana/data';
import type { Sample, SampleFieldNames } from '../types';
import { booleanAt, findField, numberAt, rowCount, stringAt, timeAt } from './frameFields';

export type SamplesResult = { ok: true; samples: Sample[] } | { ok: false; message: string };

const REQUIRED: ReadonlyArray<keyof SampleFieldNames> = ['time', 'latency', 'center', 'ucl', 'lcl'];

/**
 * Picks the samples frame (the one that carries the latency column) and turns it into
 * time-ordered samples. A missing required column is reported by name so the user can fix
 * the query or the field option.
 */
export function readSamples(frames: readonly DataFrame[], names: SampleFieldNames): SamplesResult {
  if (frames.length === 0 || frames.every((f) => rowCount(f) === 0)) {
    return { ok: false, message: 'No data: the samples query returned no rows for this time range.' };
  }
  // The violations query carries latency_ms too: the samples frame is the one that has the
  // most of the required columns, so query order does not matter.
  const score = (f: DataFrame) => REQUIRED.filter((key) => findField(f, names[key]) !== undefined).length;
  const frame = frames
    .filter((f) => findField(f, names.latency) !== undefined)
    .reduce<DataFrame | undefined>((best, f) => (best === undefined || score(f) > score(best) ? f : best), undefined);
  if (!frame) {
    return {
      ok: false,
      message: `Missing field "${names.latency}": no query returns the latency column. Select it in the samples query or change "Latency field" in the panel options.`,
    };
  }
  for (const key of REQUIRED) {
    if (!findField(frame, names[key])) {
      return {
        ok: false,
        message: `Missing field "${names[key]}" in the samples query (option "${key}"). Add the column to the query or change the field name in the panel options.`,
      };
    }
  }
  const field = (key: keyof SampleFieldNames) => findField(frame, names[key]);
  const f = {
    time: field('time'),
    latency: field('latency'),
    status: field('status'),
    center: field('center'),
    ucl: field('ucl'),
    lcl: field('lcl'),
    sigma: field('sigma'),
    id: field('id'),
    model: field('model'),
    error: field('error'),
    coldStart: field('coldStart'),
    ttft: field('ttft'),
    totalDuration: field('totalDuration'),
    loadDuration: field('loadDuration'),
    promptEvalCount: field('promptEvalCount'),
    promptEvalDuration: field('promptEvalDuration'),
    evalCount: field('evalCount'),
    evalDuration: field('evalDuration'),
    tokensPerSecond: field('tokensPerSecond'),
    cpu: field('cpu'),
    memory: field('memory'),
    gpu: field('gpu'),
    gpuMemory: field('gpuMemory'),
  };
  const order = timeOrder(frame, f.time);
  if (order.length === 0) {
    return { ok: false, message: `No data: the "${names.time}" column of the samples query holds no valid times.` };
  }
  // One object literal per row, built in time order: a spread or a second pass per row
  // costs seconds on a week of probes.
  const samples = new Array<Sample>(order.length);
  for (let index = 0; index < order.length; index++) {
    const row = order[index];
    samples[index] = {
      index,
      id: numberAt(f.id, row),
      time: timeAt(f.time, row) as number,
      latencyMs: numberAt(f.latency, row),
      status: stringAt(f.status, row) ?? 'ok',
      model: stringAt(f.model, row),
      error: stringAt(f.error, row),
      coldStart: booleanAt(f.coldStart, row),
      center: numberAt(f.center, row),
      ucl: numberAt(f.ucl, row),
      lcl: numberAt(f.lcl, row),
      sigma: numberAt(f.sigma, row),
      ttftMs: numberAt(f.ttft, row),
      totalDurationMs: numberAt(f.totalDuration, row),
      loadDurationMs: numberAt(f.loadDuration, row),
      promptEvalCount: numberAt(f.promptEvalCount, row),
      promptEvalDurationMs: numberAt(f.promptEvalDuration, row),
      evalCount: numberAt(f.evalCount, row),
      evalDurationMs: numberAt(f.evalDuration, row),
      tokensPerSecond: numberAt(f.tokensPerSecond, row),
      cpuPercent: numberAt(f.cpu, row),
      memoryPercent: numberAt(f.memory, row),
      gpuPercent: numberAt(f.gpu, row),
      gpuMemoryPercent: numberAt(f.gpuMemory, row),
    };
  }
  return { ok: true, samples };
}

/**
 * The rows that hold a valid time, in time order (ties keep query order). Queries return
 * rows ordered by time, so the sort is skipped when they already are.
 */
export function timeOrder(frame: DataFrame, timeField: Field | undefined): number[] {
  const n = rowCount(frame);
  const rows: number[] = [];
  const times: number[] = [];
  let sorted = true;
  for (let row = 0; row < n; row++) {
    const time = timeAt(timeField, row);
    if (time === null) {
      continue;
    }
    if (times.length > 0 && time < times[times.length - 1]) {
      sorted = false;
    }
    rows.push(row);
    times.push(time);
  }
  if (sorted) {
    return rows;
  }
  const positions = rows.map((_, i) => i);
  positions.sort((a, b) => times[a] - times[b]);
  return positions.map((i) => rows[i]);
}
