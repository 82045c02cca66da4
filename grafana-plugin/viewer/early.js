// Starts the viewer's first API requests (the series list, then the range's samples,
// violations and alert episodes) as the page's first script, so they run while the
// shared-module bundle downloads and parses instead of after it (docs/viewer.md). The page's
// code takes each answer once, by its exact address (src/api.ts), and asks again for anything
// not taken here. A file, not an inline script: the page's CSP allows own-origin scripts only.
// The URLs must be built as src/api.ts builds them (same parameters, same order), and the
// range read as src/timeRanges.ts reads it; a mismatch only costs the head start.
(function () {
  const PRESETS = { '5m': 300000, '15m': 900000, '1h': 3600000, '6h': 21600000, '24h': 86400000, '7d': 604800000 };
  const DEFAULT_MS = PRESETS['24h'];
  const now = Date.now();
  const address = new URLSearchParams(window.location.search);
  const pending = new Map();
  let used = 0;
  let nowTaken = false;

  function start(path) {
    const answer = fetch(path, { headers: { accept: 'application/json' } });
    // Never an unhandled rejection: the page's own request reports the failure.
    answer.catch(function () {});
    pending.set(path, answer);
    return answer;
  }

  function range() {
    const text = address.get('range');
    if (text && PRESETS[text]) {
      return { from: now - PRESETS[text], to: now };
    }
    const parts = (text || '').split('..').map(function (t) {
      return Date.parse(t);
    });
    if (parts.length === 2 && isFinite(parts[0]) && isFinite(parts[1]) && parts[0] < parts[1]) {
      return { from: parts[0], to: parts[1] };
    }
    return { from: now - DEFAULT_MS, to: now };
  }

  function startRange(series) {
    if (nowTaken) {
      return; // the page already made its first load itself
    }
    const r = range();
    const base = {
      target: series.target,
      model: series.model,
      probe: series.probe,
      from: new Date(r.from).toISOString(),
      to: new Date(r.to).toISOString(),
    };
    const points = Math.min(100000, Math.max(500, Math.ceil(window.innerWidth * (window.devicePixelRatio || 1) * 2)));
    start('/api/stats/spc?' + new URLSearchParams(Object.assign({}, base, { max_points: String(points) })));
    start('/api/violations?' + new URLSearchParams(Object.assign({}, base, { limit: '1000', telemetry: 'true' })));
    start('/api/alerts?' + new URLSearchParams(base));
  }

  const listed = start('/api/series');
  const wanted = { target: address.get('target'), model: address.get('model'), probe: address.get('probe') };
  if (wanted.target && wanted.model && wanted.probe) {
    startRange(wanted);
  } else {
    // The page picks the first listed series matching what the address names.
    listed
      .then(function (res) {
        return res.ok ? res.clone().json() : null;
      })
      .then(function (body) {
        const list = (body && body.series) || [];
        const match =
          list.find(function (s) {
            return ['target', 'model', 'probe'].every(function (k) {
              return !wanted[k] || s[k] === wanted[k];
            });
          }) || list[0];
        if (match) {
          startRange(match);
        }
      })
      .catch(function () {});
  }

  window.llmscopeEarly = {
    /** The moment the ranges above end at; the page's first load uses it, once. */
    takeNow: function () {
      const first = !nowTaken;
      nowTaken = true;
      // The first load takes its answers in the same task; any left were for another series
      // or range and must not answer a later request for the same address.
      setTimeout(function () {
        pending.clear();
      });
      return first ? now : undefined;
    },
    /** The answer started here for this exact path, once; undefined when there is none. */
    take: function (path) {
      const answer = pending.get(path);
      pending.delete(path);
      if (answer) {
        used += 1;
      }
      return answer;
    },
    /** How many answers the page took from here (the browser test checks the head start). */
    used: function () {
      return used;
    },
  };
})();
