// The Grafana the plugin claims (plugin.json grafanaDependency), the Grafana docker compose
// runs and the @grafana/* shared modules the browser tests load must be one version: the
// plugin is tested on what it claims. @grafana/ui 12.x cannot be installed here (it pulls
// react-data-grid from a git URL), so the floor is the tested 13.1.0; see src/README.md.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function installedVersion(pkg) {
  return require(`${pkg}/package.json`).version;
}

/** The versions in play, and the disagreements between them (empty when they agree). */
export function grafanaVersions() {
  const pluginJson = JSON.parse(readFileSync(path.join(here, '..', 'src', 'plugin.json'), 'utf8'));
  const dependency = pluginJson.dependencies.grafanaDependency;
  const compose = readFileSync(path.join(here, '..', '..', 'docker-compose.yml'), 'utf8');
  const composeTag = compose.match(/image: grafana\/grafana:\$\{GRAFANA_TAG:-([^}]+)\}/)?.[1] ?? null;
  const shared = Object.fromEntries(
    ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema', 'react', 'react-dom'].map((p) => [
      p,
      installedVersion(p),
    ])
  );
  const tested = shared['@grafana/ui'];
  const problems = [];
  for (const p of ['@grafana/data', '@grafana/runtime', '@grafana/schema']) {
    if (shared[p] !== tested) {
      problems.push(`${p} ${shared[p]} differs from @grafana/ui ${tested}`);
    }
  }
  if (dependency !== `>=${tested}`) {
    problems.push(`plugin.json grafanaDependency "${dependency}" should be ">=${tested}", the oldest version tested`);
  }
  if (composeTag !== tested) {
    problems.push(
      `docker-compose.yml runs grafana/grafana:${composeTag}, the browser tests load @grafana/ui ${tested}`
    );
  }
  if (shared.react !== shared['react-dom']) {
    problems.push(`react ${shared.react} and react-dom ${shared['react-dom']} differ`);
  }
  return { dependency, composeTag, shared, problems };
}
