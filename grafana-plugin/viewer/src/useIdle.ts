import { useEffect, useState } from 'react';

/**
 * False until the browser first has nothing else to do after the component mounted: the
 * viewer renders what the chart's first paint does not need (the pickers, the violations
 * table) then, not in the chart's frame (docs/viewer.md, "First paint").
 */
export function useIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    const done = () => setIdle(true);
    if (typeof window.requestIdleCallback === 'function') {
      // The timeout bounds the wait on a page that is never idle (a chart redrawing all the time).
      const handle = window.requestIdleCallback(done, { timeout: 2000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(done, 200);
    return () => clearTimeout(timer);
  }, []);
  return idle;
}
