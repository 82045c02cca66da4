import { listWindow } from './listWindow';

describe('listWindow', () => {
  it('renders the rows in view plus the overscan, the rest as padding of the same height', () => {
    const w = listWindow(1000, 24, 2400, 240, 5);
    // Row 100 is the first in view; 11 rows cover 240 px (a partly shown one at each end).
    expect(w).toEqual({ start: 95, end: 116, before: 95 * 24, after: (1000 - 116) * 24 });
    expect(w.before + (w.end - w.start) * 24 + w.after).toBe(1000 * 24);
  });

  it('clips at both ends of the list', () => {
    expect(listWindow(1000, 24, 0, 240, 5)).toMatchObject({ start: 0, end: 16, before: 0 });
    expect(listWindow(1000, 24, 1000 * 24, 240, 5)).toMatchObject({ start: 995, end: 1000, after: 0 });
    expect(listWindow(3, 24, 0, 480)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(listWindow(0, 24, 0, 480)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });

  it('treats a negative scroll (overscroll bounce) as the top, and refuses a row height of zero', () => {
    expect(listWindow(100, 24, -50, 240, 0)).toMatchObject({ start: 0, end: 11 });
    expect(() => listWindow(100, 0, 0, 240)).toThrow('row height must be positive, got 0');
  });
});
