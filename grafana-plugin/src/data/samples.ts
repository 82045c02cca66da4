import type { DataFrame } from '@grafana/data';
import type { Sample, SampleFieldNames } from '../types';
import { booleanAt, findField, numberAt, numberColumn, rowCount, stringAt, timeColumn } from './frameFields';
import { createSampleTable, type SampleTable, valueOrNull } from './sampleTable';

export type SamplesResult = { ok: true; table: SampleTable } | { ok: false; message: string };

const REQUIRED: ReadonlyArray<keyof SampleFieldNames> = ['time', 'latency', 'center', 'ucl', 'lcl'];

/**
 * Picks the samples frame (the one that carries the latency column) and turns it into
 * a time-ordered table of samples (sampleTable.ts). A missing required column is reported by name so the user can fix
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
  // Queries return rows in time order, so `order` is usually null: every row, as it is.
  const order = timeOrder(times);
  const length = order === null ? n : order.length;
  if (length === 0) {
    return { ok: false, message: `No data: the "${names.time}" column of the samples query holds no valid times.` };
  }
  // Each column is read once into a typed array in time order; no object is built per row
  // (see sampleTable.ts).
  const inOrder = (column: Float64Array | null): Float64Array => {
    if (column === null) {
      return new Float64Array(length).fill(NaN);
    }
    if (order === null) {
      return column;
    }
    const out = new Float64Array(length);
    for (let index = 0; index < length; index++) {
      out[index] = column[order[index]];
    }
    return out;
  };
  // A missing status counts as answered, as stringAt(…) ?? 'ok' reads it for one row.
  const ok = new Uint8Array(length);
  const statuses: ArrayLike<unknown> | undefined = f.status?.values;
  for (let index = 0; index < length; index++) {
    const status = statuses?.[order === null ? index : order[index]];
    ok[index] = status === null || status === undefined || status === 'ok' ? 1 : 0;
  }
  const c = {
    id: inOrder(numberColumn(f.id, n)),
    latency: inOrder(numberColumn(f.latency, n)),
    center: inOrder(numberColumn(f.center, n)),
    ucl: inOrder(numberColumn(f.ucl, n)),
    lcl: inOrder(numberColumn(f.lcl, n)),
  };
  const readThroughput = () => ({
    tokensPerSecond: inOrder(numberColumn(f.tokensPerSecond, n)),
    evalCount: inOrder(numberColumn(f.evalCount, n)),
    evalDuration: inOrder(numberColumn(f.evalDuration, n)),
  });
  const build = (index: number): Sample => {
    const row = order === null ? index : order[index];
    return {
      index,
      id: valueOrNull(c.id[index]),
      time: times[row],
      latencyMs: valueOrNull(c.latency[index]),
      status: stringAt(f.status, row) ?? 'ok',
      model: stringAt(f.model, row),
      error: stringAt(f.error, row),
      coldStart: booleanAt(f.coldStart, row),
      center: valueOrNull(c.center[index]),
      ucl: valueOrNull(c.ucl[index]),
      lcl: valueOrNull(c.lcl[index]),
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
  };
  const time = inOrder(times);
  return { ok: true, table: createSampleTable({ length, time, ok, ...c }, build, readThroughput) };
}

/**
 * The rows that hold a valid time, in time order (ties keep query order); null when that is
 * every row as it is, which is how queries return them (no index array of a week of rows).
 */
export function timeOrder(times: Float64Array): number[] | null {
  const n = times.length;
  let inOrder = true;
  for (let row = 0, last = -Infinity; inOrder && row < n; row++) {
    const time = times[row];
    inOrder = time >= last;
    last = time;
  }
  if (inOrder) {
    return null;
  }
  const rows: number[] = [];
  for (let row = 0; row < n; row++) {
    if (times[row] === times[row]) {
      rows.push(row);
    }
  }
  // Array.prototype.sort is stable: ties keep query order.
  return rows.sort((a, b) => times[a] - times[b]);
}
