import type { Expression } from 'ts-morph';
import { tsMorph } from './load.js';

/** The expression under type-only wrappers: `x as const`, `x satisfies T`, `<T>x`, `x!` and `(x)` all have the value of `x`. */
export function unwrap(expression: Expression): Expression {
  const { Node } = tsMorph();
  let node = expression;
  while (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isTypeAssertion(node) || Node.isNonNullExpression(node) || Node.isParenthesizedExpression(node))
    node = node.getExpression();
  return node;
}
