/** The rows of a virtual list to render: [start, end) plus the space above and below them. */
export interface ListWindow {
  start: number;
  end: number;
  /** Pixels of the rows above `start` and below `end`, kept as padding so the scroll bar is true. */
  before: number;
  after: number;
}

/**
 * Only the rows in view (and `overscan` either side) of a list of `count` rows of fixed
 * height are rendered: a week can hold thousands of violations, and a list item each costs
 * layout for rows no one sees (docs/performance.md).
 */
export function listWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 5
): ListWindow {
  if (!(rowHeight > 0)) {
    throw new RangeError(`row height must be positive, got ${rowHeight}`);
  }
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}
