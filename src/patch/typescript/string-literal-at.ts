import type { ArrayLiteralExpression, Expression, Node, ObjectLiteralElementLike, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { arrayIndex } from '../json-pointer.js';
import { describeNode } from './describe-node.js';
import { exportedExpression } from './exported-expression.js';
import { tsMorph } from './load.js';
import { unwrap } from './unwrap.js';

export type Quote = "'" | '"' | '`';

/** A string literal in the file: its value, and where its source text (quotes included) lies. */
export interface StringLiteralAt {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly quote: Quote;
  readonly line: number;
}

/**
 * The string literal a path names in a module: `tokens[0]` is an export (`default` for
 * the default export), the rest are property names and array indexes into the object and
 * array literals it is declared with. A path that leaves those literals, or ends on
 * anything but a string literal or a template without substitutions, is refused (HF207)
 * naming what it found and its line: hotfix edits values it can read, not code.
 */
export function stringLiteralAt(file: SourceFile, tokens: readonly string[]): StringLiteralAt {
  const [name, ...path] = tokens;
  if (name === undefined) throw notFound('the path names no export');
  const { Node } = tsMorph();
  let node = unwrap(exportedExpression(file, name));
  let where = name;
  for (const token of path) {
    const next = member(node, token, where);
    where = Node.isArrayLiteralExpression(node) ? `${where}[${token}]` : `${where}.${token}`;
    node = unwrap(next);
  }
  if (!Node.isStringLiteral(node) && !Node.isNoSubstitutionTemplateLiteral(node)) throw notFound(`${where} at line ${lineOf(node)} is ${describeNode(node)}, not a string literal`);
  return { value: node.getLiteralValue(), start: node.getStart(), end: node.getEnd(), quote: node.getText()[0] as Quote, line: lineOf(node) };
}

function member(node: Expression, token: string, where: string): Expression {
  const { Node } = tsMorph();
  if (Node.isObjectLiteralExpression(node)) return property(node, token, where);
  if (Node.isArrayLiteralExpression(node)) return element(node, token, where);
  throw notFound(`${where} at line ${lineOf(node)} is ${describeNode(node)}, not an object or array literal`);
}

function property(object: ObjectLiteralExpression, key: string, where: string): Expression {
  const { Node } = tsMorph();
  const members = object.getProperties();
  const matching = members.filter((m) => nameOf(m) === key);
  const [found, ...others] = matching;
  const spreads = (from: number) => members.slice(from).filter((m) => Node.isSpreadAssignment(m));
  if (!found) {
    const [spread] = spreads(0);
    const follow = spread ? `; it spreads ${spread.getText()}, which hotfix does not follow` : '';
    throw notFound(`${where} (line ${lineOf(object)}) has no property "${key}"${follow}`);
  }
  if (others.length > 0) throw ambiguous(`${where} has ${matching.length} properties "${key}", at lines ${matching.map(lineOf).join(', ')}`);
  const [later] = spreads(members.indexOf(found) + 1);
  if (later) throw ambiguous(`${where}.${key} at line ${lineOf(found)} may be overridden by the spread ${later.getText()} after it, at line ${lineOf(later)}`);
  if (!Node.isPropertyAssignment(found)) throw notFound(`${where}.${key} at line ${lineOf(found)} is ${describeNode(found)}, not a property with a value`);
  return found.getInitializerOrThrow();
}

function element(array: ArrayLiteralExpression, token: string, where: string): Expression {
  const { Node } = tsMorph();
  const index = arrayIndex(token);
  if (index === undefined) throw notFound(`${where} at line ${lineOf(array)} is an array literal, so "${token}" names nothing in it`);
  const elements = array.getElements();
  // After a spread, no index in the source is the index at run time.
  const spread = elements.slice(0, index + 1).find((e) => Node.isSpreadElement(e));
  if (spread) throw notFound(`${where} (line ${lineOf(array)}) spreads ${spread.getText()} before element ${index}, which hotfix does not follow`);
  const found = elements[index];
  if (!found) throw notFound(`${where} (line ${lineOf(array)}) has no element ${index} (it has ${elements.length})`);
  if (Node.isOmittedExpression(found)) throw notFound(`${where} (line ${lineOf(array)}) has a hole at element ${index}`);
  return found;
}

/** The name a member of an object literal defines, where the source spells it out. */
function nameOf(member: ObjectLiteralElementLike): string | undefined {
  const { Node } = tsMorph();
  if (Node.isSpreadAssignment(member)) return undefined;
  const name = member.getNameNode();
  if (Node.isComputedPropertyName(name)) {
    const key = unwrap(name.getExpression());
    return Node.isStringLiteral(key) || Node.isNoSubstitutionTemplateLiteral(key) ? key.getLiteralValue() : undefined;
  }
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  if (Node.isNumericLiteral(name)) return String(name.getLiteralValue());
  return name.getText();
}

function lineOf(node: Node): number {
  return node.getStartLineNumber();
}

function notFound(message: string): HotfixError {
  return new HotfixError([diagnostic('HF207', message)]);
}

function ambiguous(message: string): HotfixError {
  return new HotfixError([diagnostic('HF209', message)]);
}
