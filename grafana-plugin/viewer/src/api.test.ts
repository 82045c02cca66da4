import { pointsForWidth } from './api';

describe('pointsForWidth', () => {
  it('asks for two points per device pixel of the window, as Grafana’s maxDataPoints does', () => {
    expect(pointsForWidth(1440, 1)).toBe(2880);
    expect(pointsForWidth(1440, 2)).toBe(5760);
    expect(pointsForWidth(1439.5, 1)).toBe(2879);
  });

  it('asks for at least 500 and at most the API’s bound (100 000); a missing pixel ratio counts as 1', () => {
    expect(pointsForWidth(100, 1)).toBe(500);
    expect(pointsForWidth(100_000, 3)).toBe(100_000);
    expect(pointsForWidth(1000, 0)).toBe(2000);
  });
});
