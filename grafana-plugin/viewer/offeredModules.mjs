// The shared modules the built-in viewer offers the panel, worked out at build time from the
// panel's source (sharedImports.mjs), written as the module the viewer's bundle imports, and
// checked against what the built dist/module.js reads (amdNeeds.mjs). docs/viewer.md, "Shared modules".
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { amdNeeds } from './amdNeeds.mjs';
import { collectSharedImports } from './sharedImports.mjs';

/** The module name the viewer imports its offer by; viewer/build.mjs serves it from memory. */
export const OFFER_MODULE = 'llmscope-viewer-shared-modules';

/** The panel's own sources: what dist/module.js is built from (tests and their fixtures are not). */
export function pluginSources(pluginRoot) {
  const src = path.join(pluginRoot, 'src');
  return readdirSync(src, { recursive: true })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.split(path.sep).includes('test'))
    .sort()
    .map((f) => ({ path: path.join(src, f), text: readFileSync(path.join(src, f), 'utf8') }));
}

/** The names per module the panel imports: { byName: Map<module, Set<name>>, whole: Set<module> }. */
export function offeredModules(pluginRoot) {
  return collectSharedImports(pluginSources(pluginRoot));
}

/**
 * The offer as source files ({ relative path: text }, index.js the entry): one file per
 * module offered by name that re-exports just those names, so the namespace object the
 * panel gets has them all and webpack tree-shakes the rest of the package away.
 */
export function offerSource(offered) {
  const files = {};
  const lines = [];
  const entries = [];
  [...offered.byName.keys()].sort().forEach((pkg, i) => {
    const names = [...offered.byName.get(pkg)].sort();
    files[`module${i}.js`] = `export { ${names.join(', ')} } from ${JSON.stringify(pkg)};\n`;
    lines.push(`import * as m${i} from './module${i}.js';`);
    entries.push(`  ${JSON.stringify(pkg)}: m${i},`);
  });
  [...offered.whole].sort().forEach((pkg, i) => {
    lines.push(`import * as w${i} from ${JSON.stringify(pkg)};`);
    entries.push(`  ${JSON.stringify(pkg)}: w${i},`);
  });
  files['index.js'] = `${lines.join('\n')}\nexport const SHARED_MODULES = {\n${entries.join('\n')}\n};\n`;
  return files;
}

/** The built panel: dist/module.js first (it holds `define`), then its chunks. */
export function bundleSources(distDir) {
  const chunks = readdirSync(distDir).filter((f) => f.endsWith('.js') && f !== 'module.js');
  return ['module.js', ...chunks.sort()].map((f) => ({
    path: path.join(distDir, f),
    text: readFileSync(path.join(distDir, f), 'utf8'),
  }));
}

/** What the built panel needs from the page that the offer lacks, one line each; empty when nothing. */
export function unmetNeeds(needs, offered) {
  const problems = [];
  for (const dep of needs.deps) {
    // `module` is the AMD loader's own module (the plugin's address), not a shared one.
    if (dep === 'module' || offered.whole.has(dep)) {
      continue;
    }
    const names = offered.byName.get(dep);
    if (!names) {
      problems.push(`it asks for '${dep}', which the viewer does not offer`);
      continue;
    }
    const missing = [...needs.reads.get(dep)].filter((n) => !names.has(n)).sort();
    if (missing.length > 0) {
      problems.push(`it reads ${missing.join(', ')} from '${dep}', which the viewer does not offer`);
    }
    for (const at of needs.opaque.get(dep)) {
      problems.push(`${at}: it uses '${dep}' whole (not by name), so the names it needs cannot be listed`);
    }
  }
  return problems;
}

/** Throws, listing every problem, unless the offer covers all the built panel reads. */
export function checkOfferCoversBundle(distDir, offered) {
  const problems = unmetNeeds(amdNeeds(bundleSources(distDir)), offered);
  if (problems.length > 0) {
    throw new Error(
      `The built-in viewer does not offer what ${path.join(distDir, 'module.js')} needs:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\nThe viewer offers the names the panel's source imports (viewer/sharedImports.mjs); rebuild the panel, or import the name in src/.`
    );
  }
}
