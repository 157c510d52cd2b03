import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { parsePointer } from '../json-pointer.js';
import type { DocumentPatch, PatchOp } from '../patch-yaml.js';
import { literalText } from './literal-text.js';
import { parseTypeScript } from './parse-typescript.js';
import { stringLiteralAt, type StringLiteralAt } from './string-literal-at.js';

/**
 * Applies `test` and `replace` ops to the string literals of TypeScript config (paths as
 * findTypeScriptImage makes them). The new literal is spliced into the original text at
 * the old one's place, in the same quotes, so every other byte stays as it was; the
 * result is parsed again and must hold the new value in exactly the spliced bytes.
 */
export function patchTypeScriptText(text: string, patches: readonly DocumentPatch[]): string {
  let patched = text;
  for (const patch of patches) {
    if (patch.document !== 0) throw new HotfixError([diagnostic('HF321', `a TypeScript file is one document, but the patch names document ${patch.document}`)]);
    for (const op of patch.ops) patched = applyOp(patched, op);
  }
  return patched;
}

function applyOp(text: string, op: PatchOp): string {
  if (op.op !== 'test' && op.op !== 'replace') throw unsupported(`${op.op} at ${op.path} is not supported for TypeScript config, only test and replace`);
  const tokens = parsePointer(op.path);
  const literal = stringLiteralAt(parseTypeScript(text), tokens);
  if (op.op === 'test') {
    if (literal.value !== op.value) throw new HotfixError([diagnostic('HF320', `test failed at ${op.path}: expected ${JSON.stringify(op.value)}, found ${JSON.stringify(literal.value)}`)]);
    return text;
  }
  if (typeof op.value !== 'string') throw unsupported(`replace at ${op.path} writes ${JSON.stringify(op.value)}, but only a string can be written into TypeScript config`);
  const replacement = literalText(op.value, literal.quote);
  const patched = text.slice(0, literal.start) + replacement + text.slice(literal.end);
  crossCheck(patched, tokens, { ...literal, value: op.value, end: literal.start + replacement.length });
  return patched;
}

/**
 * The edit must read back as intended: the path holds the new value, in a literal that
 * spans exactly the spliced bytes. Then the text before and after it, untouched, also
 * parses as before, since the literal token starts and ends where the old one did.
 */
function crossCheck(patched: string, tokens: readonly string[], intended: StringLiteralAt): void {
  let found: StringLiteralAt;
  try {
    found = stringLiteralAt(parseTypeScript(patched), tokens);
  } catch (error) {
    if (error instanceof HotfixError) throw checkFailed(`the edit made the file unreadable: ${error.diagnostics[0]?.message ?? ''}`);
    throw error;
  }
  if (found.value !== intended.value) throw checkFailed(`the literal reads ${JSON.stringify(found.value)}, not ${JSON.stringify(intended.value)}`);
  if (found.start !== intended.start || found.end !== intended.end) throw checkFailed(`the new literal spans ${found.start}-${found.end}, not the spliced ${intended.start}-${intended.end}`);
}

function unsupported(message: string): HotfixError {
  return new HotfixError([diagnostic('HF322', message)]);
}

function checkFailed(message: string): HotfixError {
  return new HotfixError([diagnostic('HF322', `patch cross-check failed: ${message}`)]);
}
