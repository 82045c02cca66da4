// The minimal shape of the boot data Grafana's server writes before any script runs;
// @grafana/runtime reads it when it loads. A file, not an inline script: the collector's
// Content-Security-Policy allows scripts from its own origin only.
window.grafanaBootData = { assets: { dark: '', light: '' }, settings: {}, user: {}, navTree: [] };
