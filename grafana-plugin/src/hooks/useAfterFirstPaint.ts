import { startTransition, useEffect, useState } from 'react';

/**
 * False until the frame after the first render has been painted, then true (set in a
 * transition). The panel renders its chart first and the side parts (summary card, violation
 * list) only then: on a week of probes their work would otherwise delay the chart's first
 * paint, which is what a reader waits for (docs/performance.md, "Panel").
 */
export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (painted) {
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
  }, [painted]);
  return painted;
}
