import path from 'node:path';
import { amdNeeds, type AmdNeeds } from '../amdNeeds.mjs';
import { bundleSources, offeredModules, unmetNeeds } from '../offeredModules.mjs';
import { collectSharedImports, SharedImportError, type SharedImports } from '../sharedImports.mjs';

const pluginRoot = path.resolve(__dirname, '../..');

const imports = (text: string) => collectSharedImports([{ path: 'src/example.tsx', text }]);
const names = (offered: SharedImports, pkg: string) => [...(offered.byName.get(pkg) ?? [])].sort();

describe('the shared modules the viewer offers the panel', () => {
  let offered: SharedImports;
  let needs: AmdNeeds;

  beforeAll(() => {
    offered = offeredModules(pluginRoot);
    // dist/ is built by `npm run build` (npm ci runs it): the bundle Grafana and the viewer load.
    needs = amdNeeds(bundleSources(path.join(pluginRoot, 'dist')));
  }, 120_000);

  it('cover every name dist/module.js reads from a shared module', () => {
    expect(needs.reads.get('@grafana/ui')?.size).toBeGreaterThan(0);
    expect(needs.reads.get('@grafana/data')?.size).toBeGreaterThan(0);
    expect(unmetNeeds(needs, offered)).toEqual([]);
  });

  it('report a name the bundle reads that the viewer lacks', () => {
    const lacking = new Map(offered.byName);
    lacking.set('@grafana/ui', new Set([...offered.byName.get('@grafana/ui')!].filter((n) => n !== 'Button')));
    expect(unmetNeeds(needs, { byName: lacking, whole: offered.whole })).toEqual([
      "it reads Button from '@grafana/ui', which the viewer does not offer",
    ]);
  });

  it('report a module the bundle asks for that the viewer does not offer', () => {
    const problems = unmetNeeds(needs, { byName: offered.byName, whole: new Set(['react']) });
    expect(problems).toContain("it asks for 'react-dom', which the viewer does not offer");
  });
});

describe('collectSharedImports', () => {
  it('takes the value names of named imports and export-froms, not the type-only ones', () => {
    const found = imports(`
      import { Button, type IconName, Stack as Row } from '@grafana/ui';
      import type { PanelProps } from '@grafana/data';
      export { dateTime } from '@grafana/data';
      import React from 'react';
      import { helper } from './helper';
    `);
    expect(names(found, '@grafana/ui')).toEqual(['Button', 'Stack']);
    expect(names(found, '@grafana/data')).toEqual(['dateTime']);
    expect([...found.whole]).toEqual(['react']);
    expect([...found.byName.keys()].sort()).toEqual(['@grafana/data', '@grafana/ui']);
  });

  it.each([
    ["import * as ui from '@grafana/ui';", 'a namespace import'],
    ["import ui from '@grafana/ui';", 'a default import'],
    ["export * from '@grafana/data';", 'an `export *`'],
    ["import('@grafana/ui').then(() => 0);", 'a dynamic import'],
  ])('refuses %s, naming the file and line', (text, how) => {
    expect(() => imports(`\n${text}`)).toThrow(SharedImportError);
    expect(() => imports(`\n${text}`)).toThrow(
      new RegExp(`^src/example\\.tsx:2:1: ${how.replace(/[*`]/g, '\\$&')} of`)
    );
  });
});

describe('amdNeeds', () => {
  // The shape webpack gives an AMD bundle: externals as define() parameters behind module ids,
  // required by id, the same short names reused in other scopes.
  const bundle = `define(["@grafana/ui","react","module"],(t,e,o)=>(()=>{var s={7(n){n.exports=t},9(n){n.exports=e},3(n){n.exports=o}};
    function c(i){var m={exports:{}};return s[i](m),m.exports}
    const a=c(7),r=c(9);a.Button;(0,a.useTheme2)();r.useState;
    var d={5(x,y,n){const a=n(7);a.Stack;g(a);const b={Icon:1};b.Drawer}};
    return{}})())`;

  it('lists the names read per module and every use that is not by name', () => {
    const found = amdNeeds([{ path: '/dist/module.js', text: bundle }]);
    expect(found.deps).toEqual(['@grafana/ui', 'react', 'module']);
    expect([...found.reads.get('@grafana/ui')!].sort()).toEqual(['Button', 'Stack', 'useTheme2']);
    expect([...found.reads.get('react')!]).toEqual(['useState']);
    expect(found.opaque.get('@grafana/ui')).toEqual(['/dist/module.js:4:44']);
  });
});
