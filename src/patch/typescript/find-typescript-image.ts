import type { Locator } from '../../policy/types.js';
import { dotPathTokens } from '../dot-path.js';
import type { FoundField } from '../image-field.js';
import { formatPointer } from '../json-pointer.js';
import { parseTypeScript } from './parse-typescript.js';
import { stringLiteralAt } from './string-literal-at.js';

/**
 * The string literal a `typescript` locator names. The file reads as its module's exports,
 * so the field's pointer starts with the export: `/config/api/image` is `config.api.image`,
 * `/default/containers/0/image` the default export's. A patch then names its export itself.
 */
export function findTypeScriptImage(text: string, locator: NonNullable<Locator['typescript']>): FoundField {
  const tokens = [locator.export, ...dotPathTokens(locator.path)];
  const literal = stringLiteralAt(parseTypeScript(text), tokens);
  return { document: 0, path: formatPointer(tokens), holds: locator.holds, line: literal.line, value: literal.value };
}
