import v8 from 'node:v8';

/**
 * How far past the live heap V8 may grow the old generation before its next full collection,
 * in percent. By default V8 lets it reach about four times what survived the last one: at
 * 1 000 series × 1/s a collector holds 46–65 MB but its RSS peaked at 349 MB of garbage
 * waiting. At 30 % it holds 179–190 MB and peaks near 200 MB while 1 000 series end Phase I
 * together, for ~10 points more of one core's CPU (docs/scaling.md, "Collector memory"). Unlike
 * --max-old-space-size this is no limit: a collector whose live heap grows (more series, a
 * Postgres outage) still gets room.
 */
export const HEAP_GROWING_PERCENT = 30;

const OPERATOR_FLAG = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * Sets V8's heap growing factor for this process, unless node was started with one (the
 * operator's flag wins). Returns whether it set it. V8 reads the factor at every full
 * collection, so setting it at start-up is enough.
 */
export function tuneHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((flag) => OPERATOR_FLAG.test(flag))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
