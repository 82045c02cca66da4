// What the panel's source imports from the modules Grafana shares with plugins, read with
// TypeScript's parser: the viewer offers exactly those names, so webpack drops the rest of
// @grafana/ui, @grafana/data … from the viewer's bundle (docs/viewer.md, "Shared modules").
import ts from 'typescript';

/**
 * The modules Grafana offers a plugin that the viewer can offer too. `byName`: ES modules
 * without side effects, offered as exactly the names the panel imports so the rest is
 * tree-shaken. `whole`: CommonJS modules (webpack cannot trim those by name) that the
 * panel may import by default or as a namespace.
 */
export const SHARED_PACKAGES = {
  byName: ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@emotion/css', '@emotion/react', 'rxjs', 'i18next'],
  whole: ['react', 'react-dom', 'react/jsx-runtime', 'lodash', 'moment'],
};

export class SharedImportError extends Error {}

/** `file:line:column` of a node, for errors that name where the code is. */
export function sourcePosition(file, node) {
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${file.fileName}:${line + 1}:${character + 1}`;
}

function refuse(file, node, pkg, how) {
  return new SharedImportError(
    `${sourcePosition(file, node)}: ${how} of '${pkg}'. The built-in viewer offers '${pkg}' to the panel as the names the ` +
      `panel imports (viewer/sharedImports.mjs), so it must be imported by name: import { A, B } from '${pkg}'.`
  );
}

function sharedPackage(specifier) {
  if (SHARED_PACKAGES.byName.includes(specifier)) {
    return { pkg: specifier, byName: true };
  }
  if (SHARED_PACKAGES.whole.includes(specifier)) {
    return { pkg: specifier, byName: false };
  }
  return null;
}

/** The value names an import or export-from clause takes from its module (type-only ones need nothing at run time). */
function namedValues(elements) {
  return elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
}

/**
 * Reads the shared-module imports of the given sources ({ path, text }). Returns the names
 * per module offered by name and the set of modules offered whole; throws
 * SharedImportError where a module offered by name is imported in a way no list of names
 * covers (namespace, default, `export *`, dynamic import, require).
 */
export function collectSharedImports(sources) {
  const byName = new Map();
  const whole = new Set();
  const take = (pkg, names) => {
    const set = byName.get(pkg) ?? new Set();
    names.forEach((n) => set.add(n));
    byName.set(pkg, set);
  };
  for (const { path, text } of sources) {
    const kind = path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const shared = sharedPackage(node.moduleSpecifier.text);
        const clause = node.importClause;
        if (shared && clause && !clause.isTypeOnly) {
          const bindings = clause.namedBindings;
          if (!shared.byName) {
            whole.add(shared.pkg);
          } else if (clause.name) {
            throw refuse(file, node, shared.pkg, 'a default import');
          } else if (bindings && ts.isNamespaceImport(bindings)) {
            throw refuse(file, node, shared.pkg, 'a namespace import');
          } else if (bindings) {
            take(shared.pkg, namedValues(bindings.elements));
          }
        }
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const shared = sharedPackage(node.moduleSpecifier.text);
        if (shared && !node.isTypeOnly) {
          if (!shared.byName) {
            whole.add(shared.pkg);
          } else if (!node.exportClause || !ts.isNamedExports(node.exportClause)) {
            throw refuse(file, node, shared.pkg, 'an `export *`');
          } else {
            take(shared.pkg, namedValues(node.exportClause.elements));
          }
        }
      } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
        const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
        const shared = (dynamic || required) && sharedPackage(node.arguments[0].text);
        if (shared?.byName) {
          throw refuse(file, node, shared.pkg, dynamic ? 'a dynamic import' : 'a require');
        } else if (shared) {
          whole.add(shared.pkg);
        }
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        const expression = node.moduleReference.expression;
        const shared = !node.isTypeOnly && ts.isStringLiteral(expression) && sharedPackage(expression.text);
        if (shared?.byName) {
          throw refuse(file, node, shared.pkg, 'an `import = require`');
        } else if (shared) {
          whole.add(shared.pkg);
        }
      } else if (ts.isImportTypeNode(node)) {
        return; // import('…').Type is a type
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { byName, whole };
}
