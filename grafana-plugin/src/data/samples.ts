import type { DataFrame } from '@grafana/data';
import type { Sample, SampleFieldNames } from '../types';
import { booleanAt, cell, findField, numberColumn, rowCount, stringAt, timeColumn } from './frameFields';

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
  const n = rowCount(frame);
  const times = timeColumn(f.time, n);
  const order = timeOrder(times);
  if (order.length === 0) {
    return { ok: false, message: `No data: the "${names.time}" column of the samples query holds no valid times.` };
  }
  // Every numeric column is read once into a Float64Array; the row loop then reads typed
  // arrays only (see numberColumn).
  const c = {
    id: numberColumn(f.id, n),
    latency: numberColumn(f.latency, n),
    center: numberColumn(f.center, n),
    ucl: numberColumn(f.ucl, n),
    lcl: numberColumn(f.lcl, n),
    sigma: numberColumn(f.sigma, n),
    ttft: numberColumn(f.ttft, n),
    totalDuration: numberColumn(f.totalDuration, n),
    loadDuration: numberColumn(f.loadDuration, n),
    promptEvalCount: numberColumn(f.promptEvalCount, n),
    promptEvalDuration: numberColumn(f.promptEvalDuration, n),
    evalCount: numberColumn(f.evalCount, n),
    evalDuration: numberColumn(f.evalDuration, n),
    tokensPerSecond: numberColumn(f.tokensPerSecond, n),
    cpu: numberColumn(f.cpu, n),
    memory: numberColumn(f.memory, n),
    gpu: numberColumn(f.gpu, n),
    gpuMemory: numberColumn(f.gpuMemory, n),
  };
  // One object literal per row, built in time order: a spread or a second pass per row
  // costs seconds on a week of probes.
  const samples = new Array<Sample>(order.length);
  for (let index = 0; index < order.length; index++) {
    const row = order[index];
    samples[index] = {
      index,
      id: cell(c.id, row),
      time: times[row],
      latencyMs: cell(c.latency, row),
      status: stringAt(f.status, row) ?? 'ok',
      model: stringAt(f.model, row),
      error: stringAt(f.error, row),
      coldStart: booleanAt(f.coldStart, row),
      center: cell(c.center, row),
      ucl: cell(c.ucl, row),
      lcl: cell(c.lcl, row),
      sigma: cell(c.sigma, row),
      ttftMs: cell(c.ttft, row),
      totalDurationMs: cell(c.totalDuration, row),
      loadDurationMs: cell(c.loadDuration, row),
      promptEvalCount: cell(c.promptEvalCount, row),
      promptEvalDurationMs: cell(c.promptEvalDuration, row),
      evalCount: cell(c.evalCount, row),
      evalDurationMs: cell(c.evalDuration, row),
      tokensPerSecond: cell(c.tokensPerSecond, row),
      cpuPercent: cell(c.cpu, row),
      memoryPercent: cell(c.memory, row),
      gpuPercent: cell(c.gpu, row),
      gpuMemoryPercent: cell(c.gpuMemory, row),
    };
  }
  return { ok: true, samples };
}

/**
 * The rows that hold a valid time, in time order (ties keep query order). Queries return
 * rows ordered by time, so the sort is skipped when they already are.
 */
export function timeOrder(times: Float64Array): number[] {
  const n = times.length;
  const rows: number[] = [];
  let sorted = true;
  let last = -Infinity;
  for (let row = 0; row < n; row++) {
    const time = times[row];
    if (time !== time) {
      continue;
    }
    if (time < last) {
      sorted = false;
    }
    last = time;
    rows.push(row);
  }
  if (sorted) {
    return rows;
  }
  // Array.prototype.sort is stable: ties keep query order.
  return rows.sort((a, b) => times[a] - times[b]);
}
