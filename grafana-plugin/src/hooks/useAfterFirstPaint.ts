import { startTransition, useEffect, useState } from 'react';

/**
 * False until `ready` has held through one painted frame, then true for good (set in a
 * transition). The panel passes "the chart has drawn": its summary card and violation list
 * render only then, so on a week of probes their work never delays the chart's first paint,
 * which is what a reader waits for (docs/performance.md, "Panel").
 */
export function useAfterFirstPaint(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (painted || !ready) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A rAF callback runs before the frame is painted; a task queued from it runs after.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setPainted(true)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [painted, ready]);
  return painted;
}
