import { createLayout, EMPTY_LAYOUT, markerAt } from './markerHitTest';

function layout(markers: Array<[x: number, y: number, radius: number, layer: number]>) {
  const out = createLayout(markers.length);
  markers.forEach(([x, y, radius, layer], k) => {
    out.x[k] = x;
    out.y[k] = y;
    out.radius[k] = radius;
    out.layer[k] = layer;
    out.point[k] = k;
  });
  out.count = markers.length;
  return out;
}

describe('markerAt', () => {
  it('finds the marker whose disc (plus the slop) holds the point, and nothing elsewhere', () => {
    const l = layout([
      [10, 10, 4.5, 1],
      [100, 50, 5.5, 3],
    ]);
    expect(markerAt(l, 12, 11)).toBe(0);
    expect(markerAt(l, 10 + 4.5 + 3, 10)).toBe(0);
    expect(markerAt(l, 10 + 4.5 + 3.1, 10)).toBeNull();
    expect(markerAt(l, 104, 47, 0)).toBe(1);
    expect(markerAt(l, 50, 30)).toBeNull();
    expect(markerAt(EMPTY_LAYOUT, 10, 10)).toBeNull();
  });

  it('gives an overlap to the marker on the top layer (the most severe), then to the nearest', () => {
    const l = layout([
      [10, 10, 4.5, 1],
      [13, 10, 5.5, 3],
      [16, 10, 5.5, 3],
    ]);
    // Nearer to the info marker (0), but the critical ones are on top.
    expect(markerAt(l, 9, 10)).toBe(1);
    expect(markerAt(l, 15, 10)).toBe(2);
  });

  it('reads only the laid-out markers, not the spare capacity', () => {
    const l = layout([[10, 10, 4.5, 1]]);
    const spare = createLayout(4);
    spare.x.set(l.x);
    spare.y.set(l.y);
    spare.radius.set(l.radius);
    spare.layer.set(l.layer);
    spare.count = 1;
    // Slots 1..3 hold zeros (a marker at 0, 0 of radius 0) that must not be found.
    expect(markerAt(spare, 0, 0)).toBeNull();
    expect(markerAt(spare, 10, 10)).toBe(0);
  });
});
