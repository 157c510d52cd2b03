import type { Locator } from '../policy/types.js';

/**
 * A `key: value` line whose value is one plain or quoted token: indentation, an optional
 * sequence dash, a plain key, the token, an optional comment. Changing only the token of such
 * a line changes neither the YAML's structure nor whether it parses.
 */
const TOKEN_LINE = /^([ \t]*(?:- +)?([A-Za-z0-9_][A-Za-z0-9_./-]*):[ \t]+)(["']?)([A-Za-z0-9_.][A-Za-z0-9_./:@+-]*)\3([ \t]+#[^\r\n]*)?(\r?)$/;
/** Keys a workload is recognised by: a change there may make another document match. */
const SHAPE_KEYS = new Set(['kind', 'apiVersion']);

/**
 * Whether `text` surely declares what `known` declares, read from `knownText` with the fields
 * on `fieldLines`: the two differ only in the tokens of `key: value` lines that hold none of
 * those fields, none of the names the locator finds the image by, and no kind. Bot bumps of
 * the other images of a file are such changes, so a walk through its history parses only the
 * revisions where this image's lines, or the file's structure, changed. Pure.
 */
export function declaresSame(knownText: string, fieldLines: ReadonlySet<number>, text: string, locator: Locator): boolean {
  if (locator.typescript) return false;
  const before = knownText.split('\n');
  const after = text.split('\n');
  if (before.length !== after.length) return false;
  const names = anchorNames(locator);
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    if (fieldLines.has(i + 1)) return false;
    const a = TOKEN_LINE.exec(before[i]!);
    const b = TOKEN_LINE.exec(after[i]!);
    if (!a || !b || a[1] !== b[1] || a[3] !== b[3] || a[5] !== b[5] || a[6] !== b[6]) return false;
    // `key: value:` ends in a mapping indicator, another structure.
    if (a[4]!.endsWith(':') || b[4]!.endsWith(':') || SHAPE_KEYS.has(a[2]!)) return false;
    if (names.some((name) => holdsName(a[4]!, name) || holdsName(b[4]!, name))) return false;
  }
  return true;
}

/** The strings a locator matches lines by, besides the fields themselves. */
function anchorNames(locator: Locator): string[] {
  if (locator.kustomizeImage !== undefined) return [locator.kustomizeImage];
  if (locator.manifest) return [locator.manifest.container, ...(locator.manifest.name !== undefined ? [locator.manifest.name] : [])];
  return [];
}

/** `name` in `token` as a whole name: `api` is in `ghcr.io/org/api:1.2`, not in `api-migrations`. */
function holdsName(token: string, name: string): boolean {
  for (let at = token.indexOf(name); at >= 0; at = token.indexOf(name, at + 1)) {
    const before = token[at - 1];
    const after = token[at + name.length];
    if ((before === undefined || !/[A-Za-z0-9_.-]/.test(before)) && (after === undefined || !/[A-Za-z0-9_.-]/.test(after))) return true;
  }
  return false;
}
