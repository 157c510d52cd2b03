import type { PatchOp } from '../../patch/patch-yaml.js';
import type { TagSelection } from '../../state/types.js';
import { escapeRegExp, exactly } from './engine.js';

/** A version as Flux's semver policy reads one (Masterminds semver, which allows `v` and missing parts). */
const SEMVER = /^v?[0-9]+(\.[0-9]+)?(\.[0-9]+)?(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
/** A number as Go's strconv.ParseFloat reads one (Flux's numerical policy). */
const NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** The edit, the value the policy then orders the tag by, and the selection it leaves. */
export type Pin = { readonly ops: PatchOp[]; readonly selects: string; readonly selection: TagSelection } | { readonly reason: string };

/**
 * The edit of an ImagePolicy that makes it select exactly `tag`, as Flux selects: the tag
 * filter matches only `tag`, keeping the named groups `extract` uses (so the policy orders
 * the same value), or dropping `extract` where they cannot be kept; a semver range is set to
 * exactly that version. Refused, with the reason, where the policy could not select it.
 * Pure.
 */
export function pinSelection(selection: TagSelection, tag: string): Pin {
  const kept = selection.pattern !== undefined && selection.extract !== undefined ? keepGroups(selection.pattern, selection.extract, tag) : undefined;
  const ops: PatchOp[] = [];
  const replace = (path: string, from: string | undefined, to: unknown) =>
    ops.push(...(from === undefined ? [{ op: 'add' as const, path, value: to }] : [{ op: 'test' as const, path, value: from }, { op: 'replace' as const, path, value: to }]));
  let selects = tag;
  const { extract: _dropped, ...rest } = selection;
  let after: TagSelection = { ...rest, pattern: exactly(tag) };
  if (kept) {
    replace('/spec/filterTags/pattern', selection.pattern, kept.pattern);
    selects = kept.value;
    after = { ...selection, pattern: kept.pattern };
  } else if (selection.pattern === undefined && selection.extract === undefined) {
    ops.push({ op: 'add', path: '/spec/filterTags', value: { pattern: exactly(tag) } });
  } else {
    replace('/spec/filterTags/pattern', selection.pattern, exactly(tag));
    if (selection.extract !== undefined) ops.push({ op: 'test', path: '/spec/filterTags/extract', value: selection.extract }, { op: 'remove', path: '/spec/filterTags/extract' });
  }
  if (selection.numerical && !NUMBER.test(selects)) return { reason: `its numerical policy orders "${selects}" (from ${tag}), which is not a number` };
  if (selection.semverRange !== undefined) {
    if (!SEMVER.test(selects)) return { reason: `its semver policy orders "${selects}" (from ${tag}), which is not a version` };
    replace('/spec/policy/semver/range', selection.semverRange, selects);
    after = { ...after, semverRange: selects };
  }
  return { ops, selects, selection: after };
}

/**
 * A pattern matching only `tag` in which the groups `extract` refers to capture what the
 * original pattern captures from `tag`; undefined where that cannot be kept (the pattern
 * does not match `tag`, is not one JavaScript reads, or the groups nest or are numbered out
 * of order).
 */
function keepGroups(pattern: string, extract: string, tag: string): { pattern: string; value: string } | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern.replace(/\(\?P</g, '(?<'), 'd');
  } catch {
    return undefined;
  }
  const match = re.exec(tag);
  if (!match?.indices) return undefined;
  const refs = [...extract.matchAll(/\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g)].map((m) => m[1] ?? m[2]!);
  // Numbered groups keep their numbers only as the first groups, all of them, and alone.
  const numbered = new Set(refs.filter((r) => /^[0-9]+$/.test(r)).map(Number));
  if (numbered.size > 0 && (numbered.size !== new Set(refs).size || [...numbered].some((n) => n < 1 || n > numbered.size))) return undefined;
  const groups = [...new Set(refs)].map((ref) => {
    const span = /^[0-9]+$/.test(ref) ? match.indices![Number(ref)] : match.indices!.groups?.[ref];
    return span ? { ref, start: span[0], end: span[1] } : undefined;
  });
  if (groups.some((g) => g === undefined)) return undefined;
  const spans = (groups as Array<{ ref: string; start: number; end: number }>).sort((a, b) => a.start - b.start);
  if (spans.some((g, i) => i > 0 && g.start < spans[i - 1]!.end)) return undefined;
  let out = '^';
  let at = 0;
  for (const g of spans) {
    out += escapeRegExp(tag.slice(at, g.start)) + (/^[0-9]+$/.test(g.ref) ? '(' : `(?P<${g.ref}>`) + escapeRegExp(tag.slice(g.start, g.end)) + ')';
    at = g.end;
  }
  out += `${escapeRegExp(tag.slice(at))}$`;
  const value = extract.replace(/\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_, a: string | undefined, b: string | undefined) => {
    const g = spans.find((s) => s.ref === (a ?? b));
    return g ? tag.slice(g.start, g.end) : '';
  });
  return { pattern: out, value };
}
