import { posix } from 'node:path';
import type { SelectionPatch } from '../../kustomize/selection-patches.js';
import { formatPointer, parsePointer } from '../../patch/json-pointer.js';
import type { DocumentPatch, PatchOp } from '../../patch/patch-yaml.js';
import type { FluxObject } from '../../state/types.js';

export type Placed = { readonly edits: ReadonlyArray<{ readonly file: string; readonly patch: DocumentPatch }> } | { readonly reason: string };

type Data = Record<string, unknown>;
const isMap = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Places each field of a pin (operations on the ImagePolicy's spec, as pinSelection makes
 * them) where its winning definition lives: the last patch that sets the field (a
 * strategic merge patch at the same path, a JSON 6902 operation at the field or above it,
 * rewritten inside its `value`), else the ImagePolicy's own document. The value found
 * there must be the one the render shows, or which patch wins is not what this reads, and
 * nothing is pinned. Pure.
 */
export function pinWhereItWins(policy: FluxObject, patches: readonly SelectionPatch[], ops: readonly PatchOp[], rendered: (path: string) => unknown): Placed {
  const edits: Array<{ file: string; patch: DocumentPatch }> = [];
  const place = (file: string, document: number, op: PatchOp) => {
    const at = edits.find((e) => e.file === file && e.patch.document === document);
    if (at) (at.patch.ops as PatchOp[]).push(op);
    else edits.push({ file, patch: { document, ops: [op] } });
  };
  for (const op of ops) {
    const field = parsePointer(op.path);
    const winner = [...patches].reverse().find((p) => where(p, field) !== undefined);
    if (!winner) {
      place(policy.file, policy.document, op);
      continue;
    }
    const { patch, kustomization } = winner;
    const named = patch.file ? `${posix.join(posix.dirname(kustomization), patch.file)}` : `an inline patch in ${kustomization}`;
    if (!patch.file || patch.document === undefined) return { reason: `${named} sets ${op.path}, and hotfix edits patch files, not patches written inside a kustomization; move it to a file, or pin it there by hand` };
    const path = where(winner, field)!;
    if (op.op === 'remove' && Array.isArray(patch.body)) return { reason: `${named} sets ${op.path}, which the pin would have to delete through a JSON 6902 operation` };
    if (op.op === 'test' && JSON.stringify(valueAt(patch.body, path)) !== JSON.stringify(rendered(op.path)))
      return { reason: `kubectl kustomize renders ${op.path} as ${JSON.stringify(rendered(op.path))}, but ${named}, the last patch that sets it, writes ${JSON.stringify(valueAt(patch.body, path))}` };
    place(named, patch.document, { ...op, path: formatPointer(path) } as PatchOp);
  }
  return { edits };
}

/** Where a patch sets the field, as a path inside the patch's document; undefined where it does not set it. */
function where({ patch }: SelectionPatch, field: readonly string[]): Array<string | number> | undefined {
  if (Array.isArray(patch.body)) {
    const sets = (op: unknown) => isMap(op) && (op.op === 'add' || op.op === 'replace') && typeof op.path === 'string' && covers(parsePointer(op.path), field);
    const i = patch.body.map(sets).lastIndexOf(true);
    if (i < 0) return undefined;
    const setAt = parsePointer((patch.body[i] as { path: string }).path);
    return [i, 'value', ...field.slice(setAt.length)];
  }
  if (!patch.file) return patch.setsSelection && field.length > 0 && inlineMightSet(field) ? [...field] : undefined;
  return valueAt(patch.body, field) !== undefined ? [...field] : undefined;
}

/** An inline patch's body was not kept: it is taken to set any selection field, so that it is named, never silently passed over. */
function inlineMightSet(field: readonly string[]): boolean {
  return field[0] === 'spec' && (field[1] === 'filterTags' || field[1] === 'policy');
}

function covers(prefix: readonly string[], field: readonly string[]): boolean {
  return prefix.length <= field.length && prefix.every((part, i) => part === field[i]);
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let at = data;
  for (const part of path) {
    if (Array.isArray(at)) at = at[Number(part)];
    else if (isMap(at)) at = at[String(part)];
    else return undefined;
  }
  return at;
}
