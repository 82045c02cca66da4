// When a chart is on screen: the browser benchmarks (panel, viewer) stop their clocks the same way.

/**
 * Resolves with the ms from `start` to the end of the first frame painted with `ready()` true.
 * It runs in the page: pass its source (`untilPainted.toString()`) and rebuild it there.
 */
export function untilPainted(start, ready, timeoutMs) {
  return new Promise((resolve, reject) => {
    // Checked in rAF, which runs before the frame is painted; a task queued from it runs after.
    const check = () => {
      if (ready()) {
        setTimeout(() => resolve(performance.now() - start));
      } else if (performance.now() - start > timeoutMs) {
        reject(new Error(`not drawn within ${timeoutMs} ms`));
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
}
