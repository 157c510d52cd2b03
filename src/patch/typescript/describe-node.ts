import type { Node } from 'ts-morph';
import { tsMorph } from './load.js';

/** How an error names what it found where it wanted something else: its kind in words, then its text. */
export function describeNode(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return `${kindOf(node)} ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;
}

/** The kind of node in words, with its article: `a call`, `an arrow function`, `a class declaration`. */
export function kindOf(node: Node): string {
  const { Node } = tsMorph();
  if (Node.isIdentifier(node)) return 'the identifier';
  if (Node.isTemplateExpression(node)) return 'a template with substitutions';
  if (Node.isCallExpression(node)) return 'a call';
  const words = node.getKindName().replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}
