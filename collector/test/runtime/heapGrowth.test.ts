import { describe, expect, it } from 'vitest';
import { tuneHeapGrowth } from '../../src/runtime/heapGrowth.js';

describe('tuneHeapGrowth', () => {
  it("sets the heap growing factor unless node was started with the operator's own", () => {
    expect(tuneHeapGrowth(['--enable-source-maps'])).toBe(true);
    expect(tuneHeapGrowth(['--heap-growing-percent=80'])).toBe(false);
    expect(tuneHeapGrowth(['--heap_growing_percent=80'])).toBe(false);
    expect(tuneHeapGrowth(['--heap-growing-percentage'])).toBe(true);
  });
});
