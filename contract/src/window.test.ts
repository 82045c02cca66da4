import { describe, expect, it } from 'vitest';
import { selectWindow } from './window.js';

describe('selectWindow', () => {
  const series = ['ok', 'error', 'ok', 'ok', 'timeout', 'X', 'ok', 'error', 'ok', 'ok', 'ok'];
  const ok = (s: string) => s === 'ok';

  it('takes N accepted entries on each side and the centre whatever it is', () => {
    expect(selectWindow(series, 5, 2, ok)).toEqual({ indices: [2, 3, 5, 6, 8], focus: 2 });
  });

  it('walks past rejected entries rather than counting them', () => {
    // ±2 of any status would be 3…7; ±2 ok samples reach back to index 2 and forward to 8.
    expect(selectWindow(series, 5, 2).indices).toEqual([3, 4, 5, 6, 7]);
  });

  it('clips at the ends of the series', () => {
    expect(selectWindow(series, 0, 3, ok)).toEqual({ indices: [0, 2, 3, 6], focus: 0 });
    expect(selectWindow(series, 10, 30, ok).indices).toEqual([0, 2, 3, 6, 8, 9, 10]);
  });

  it('names the bad centre', () => {
    expect(() => selectWindow(series, 11, 2)).toThrow(/window centre 11 is outside the series \(0…10\)/);
  });
});
