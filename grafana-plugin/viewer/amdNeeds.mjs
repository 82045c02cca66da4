// What a webpack-built AMD plugin bundle (dist/module.js and its chunks) reads from the
// modules it asks the page for: the build and a test compare it with what the viewer offers,
// so the viewer never hands the panel a module without a name it uses (docs/viewer.md).
// Read from the minified output with TypeScript's checker, which resolves each minified
// name to its own declaration (the same short names are reused in every scope).
import ts from 'typescript';
import { sourcePosition } from './sharedImports.mjs';

/** The `define([...deps], factory)` call at the top of the entry bundle. */
function findDefine(file) {
  let found = null;
  const visit = (node) => {
    if (found) {
      return;
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'define') {
      const [deps, factory] = node.arguments;
      if (deps && ts.isArrayLiteralExpression(deps) && factory && ts.isFunctionLike(factory)) {
        found = { deps: deps.elements.map((e) => (ts.isStringLiteral(e) ? e.text : null)), factory };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!found || found.deps.includes(null)) {
    throw new Error(`${file.fileName}: no define([...names], factory) call`);
  }
  return found;
}

/** webpack's module table entry `id(module) { module.exports = <define parameter> }`: id → module name. */
function externalModuleIds(file, checker, define) {
  const params = define.factory.parameters.map((p) => checker.getSymbolAtLocation(p.name));
  const ids = new Map();
  const visit = (node) => {
    const fn = ts.isMethodDeclaration(node)
      ? node
      : ts.isPropertyAssignment(node) && ts.isFunctionLike(node.initializer)
        ? node.initializer
        : null;
    const statements = fn?.body && ts.isBlock(fn.body) ? fn.body.statements : null;
    const only =
      statements?.length === 1 && ts.isExpressionStatement(statements[0]) ? statements[0].expression : fn?.body;
    if (
      only &&
      ts.isBinaryExpression(only) &&
      only.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(only.left) &&
      only.left.name.text === 'exports' &&
      ts.isIdentifier(only.right)
    ) {
      const index = params.indexOf(checker.getSymbolAtLocation(only.right));
      if (index >= 0 && ts.isNumericLiteral(node.name)) {
        ids.set(node.name.text, define.deps[index]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(define.factory);
  return ids;
}

/** A call of webpack's require, `r(<id>)`: the runtime's function or a module function's third parameter. */
function isWebpackRequire(call, checker) {
  const declaration = checker.getSymbolAtLocation(call.expression)?.valueDeclaration;
  return (
    declaration !== undefined &&
    (ts.isFunctionDeclaration(declaration) ||
      (ts.isParameter(declaration) && declaration.parent.parameters.indexOf(declaration) === 2))
  );
}

/**
 * Reads the bundle's files ({ path, text }, the entry holding `define` first). Returns the
 * module names it asks the page for (`deps`), the property names it reads from each
 * (`reads`), and each place where it uses a module other than by a fixed property name
 * (`opaque`: passed on whole, read by computed key, default-interop'd), where the names it
 * needs cannot be listed.
 */
export function amdNeeds(sources) {
  const program = ts.createProgram(
    sources.map((s) => s.path),
    { allowJs: true, noEmit: true, noLib: true, noResolve: true, types: [] },
    Object.assign(ts.createCompilerHost({}), {
      getSourceFile: (name) => {
        const source = sources.find((s) => s.path === name);
        return source
          ? ts.createSourceFile(name, source.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
          : undefined;
      },
      fileExists: (name) => sources.some((s) => s.path === name),
    })
  );
  const checker = program.getTypeChecker();
  const files = sources.map((s) => program.getSourceFile(s.path));
  const define = findDefine(files[0]);
  const ids = externalModuleIds(files[0], checker, define);
  const reads = new Map(define.deps.map((d) => [d, new Set()]));
  const opaque = new Map(define.deps.map((d) => [d, []]));

  for (const file of files) {
    // Each variable bound to a required external module, with the module's name.
    const bound = new Map();
    const findRequires = (node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.arguments.length === 1 &&
        ts.isNumericLiteral(node.arguments[0]) &&
        ids.has(node.arguments[0].text) &&
        isWebpackRequire(node, checker)
      ) {
        const dep = ids.get(node.arguments[0].text);
        const parent = node.parent;
        if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
          bound.set(checker.getSymbolAtLocation(parent.name), dep);
        } else if (ts.isPropertyAccessExpression(parent)) {
          reads.get(dep).add(parent.name.text);
        } else {
          opaque.get(dep).push(sourcePosition(file, node));
        }
      }
      ts.forEachChild(node, findRequires);
    };
    findRequires(file);
    const names = new Set([...bound.keys()].map((s) => s.name));
    const findUses = (node) => {
      if (ts.isIdentifier(node) && names.has(node.text) && !ts.isVariableDeclaration(node.parent)) {
        const dep = bound.get(checker.getSymbolAtLocation(node));
        if (dep !== undefined) {
          const parent = node.parent;
          if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
            reads.get(dep).add(parent.name.text);
          } else if (ts.isElementAccessExpression(parent) && ts.isStringLiteral(parent.argumentExpression)) {
            reads.get(dep).add(parent.argumentExpression.text);
          } else {
            opaque.get(dep).push(sourcePosition(file, node));
          }
        }
      }
      ts.forEachChild(node, findUses);
    };
    findUses(file);
  }
  return { deps: define.deps, reads, opaque };
}
