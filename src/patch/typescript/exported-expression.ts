import type { Expression, Node, SourceFile, VariableDeclaration } from 'ts-morph';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { kindOf } from './describe-node.js';
import { tsMorph } from './load.js';
import { unwrap } from './unwrap.js';

/**
 * The expression an export is declared with: `export const name = …`, `export default …`,
 * or a module-level const exported by `export { local as name }` or `export default local`.
 * Only a const is followed: anything else may hold another value by the time it is read.
 */
export function exportedExpression(file: SourceFile, name: string): Expression {
  const exports = [...exportsOf(file)];
  const found = exports.filter(([exported]) => exported === name).map(([, node]) => node);
  const [declaration, ...others] = found;
  if (!declaration) {
    const names = [...new Set(exports.map(([exported]) => exported))];
    throw notFound(`the file has no export "${name}" (it exports ${names.length > 0 ? names.join(', ') : 'nothing'})`);
  }
  if (others.length > 0)
    throw new HotfixError([diagnostic('HF209', `the file exports "${name}" ${found.length} times, at lines ${found.map((n) => n.getStartLineNumber()).join(', ')}`)]);
  return declaredExpression(file, name, declaration);
}

/** Every export of the file by name, with the node that declares it. */
function* exportsOf(file: SourceFile): Generator<readonly [string, Node]> {
  const { Node } = tsMorph();
  for (const statement of file.getStatements()) {
    if (Node.isVariableStatement(statement)) {
      if (statement.hasExportKeyword()) for (const declaration of statement.getDeclarations()) yield [declaration.getName(), declaration];
    } else if (Node.isExportAssignment(statement)) {
      if (!statement.isExportEquals()) yield ['default', statement];
    } else if (Node.isExportDeclaration(statement)) {
      for (const specifier of statement.getNamedExports()) yield [(specifier.getAliasNode() ?? specifier.getNameNode()).getText(), specifier];
    } else if (Node.isExportable(statement) && statement.hasExportKeyword()) {
      if (statement.isDefaultExport()) yield ['default', statement];
      else if (Node.hasName(statement)) yield [statement.getName(), statement];
    }
  }
}

function declaredExpression(file: SourceFile, name: string, declaration: Node): Expression {
  const { Node } = tsMorph();
  const what = `export "${name}" at line ${declaration.getStartLineNumber()}`;
  if (Node.isVariableDeclaration(declaration)) return constValue(declaration, what);
  if (Node.isExportAssignment(declaration)) {
    const expression = declaration.getExpression();
    const local = unwrap(expression);
    return Node.isIdentifier(local) ? localConst(file, local.getText(), what) : expression;
  }
  if (Node.isExportSpecifier(declaration)) {
    const from = declaration.getExportDeclaration().getModuleSpecifierValue();
    if (from !== undefined) throw notFound(`${what} is re-exported from "${from}", which hotfix does not follow`);
    return localConst(file, declaration.getNameNode().getText(), what);
  }
  throw notFound(`${what} is ${kindOf(declaration)}, not a const`);
}

/** A const declared at the top of the file under that name. */
function localConst(file: SourceFile, local: string, what: string): Expression {
  const declaration = file.getVariableDeclaration(local);
  if (declaration) return constValue(declaration, `${what} (the const ${local})`);
  const imported = file.getImportDeclarations().find((i) => i.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === local) || i.getDefaultImport()?.getText() === local);
  if (imported) throw notFound(`${what} is ${local}, imported from "${imported.getModuleSpecifierValue()}", which hotfix does not follow`);
  throw notFound(`${what} is ${local}, which is not a const declared at the top of the file`);
}

function constValue(declaration: VariableDeclaration, what: string): Expression {
  const { VariableDeclarationKind } = tsMorph();
  const kind = declaration.getVariableStatementOrThrow().getDeclarationKind();
  if (kind !== VariableDeclarationKind.Const) throw notFound(`${what} is declared with ${kind}, not const, so it may be reassigned`);
  const value = declaration.getInitializer();
  if (!value) throw notFound(`${what} has no value`);
  return value;
}

function notFound(message: string): HotfixError {
  return new HotfixError([diagnostic('HF207', message)]);
}
