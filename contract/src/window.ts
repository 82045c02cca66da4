// The windows the violation drawer, the API detail and the PDF report show around a
// violation's sample. Both are counted in samples of the same series, in time order:
// - the context table: ±CONTEXT_POINTS samples of any status (a failed probe is context);
// - the mini chart: ±WINDOW_POINTS *ok* samples plus the violation's own sample, with the
//   window's own limits from those points. Errors and timeouts are left out because SPC never
//   charted them and a failure time would distort the limits.

export const CONTEXT_POINTS = 10;
export const WINDOW_POINTS = 30;

export interface WindowSelection {
  /** Indices into the series, in order, the centre included. */
  indices: number[];
  /** Position of the centre inside `indices`. */
  focus: number;
}

/**
 * Up to `radius` entries on each side of `centre` that `include` accepts, plus `centre` itself
 * whatever it is: the rule both the collector's SQL (`LIMIT n` over ok samples) and the panel follow.
 */
export function selectWindow<T>(
  series: readonly T[],
  centre: number,
  radius: number,
  include: (item: T) => boolean = () => true,
): WindowSelection {
  if (!Number.isInteger(centre) || centre < 0 || centre >= series.length) {
    throw new RangeError(`window centre ${centre} is outside the series (0…${series.length - 1})`);
  }
  const before: number[] = [];
  for (let i = centre - 1; i >= 0 && before.length < radius; i--) if (include(series[i] as T)) before.push(i);
  const after: number[] = [];
  for (let i = centre + 1; i < series.length && after.length < radius; i++) if (include(series[i] as T)) after.push(i);
  return { indices: [...before.reverse(), centre, ...after], focus: before.length };
}
