import { patchConfigText, type DocumentPatch } from '../patch/patch-config.js';
import { unifiedDiff } from '../patch/unified-diff.js';
import type { Person } from '../state/types.js';
import { blobId, commitObject, writeFile, type GitObject, type Trees } from './git-objects.js';
import type { RenderSpec } from './render-spec.js';
import type { Action, FileChange } from './types.js';

export type CommitAction = Extract<Action, { kind: 'commit' }>;

export interface CommitRequest {
  readonly id: string;
  readonly repo: string;
  readonly branch: string;
  readonly purpose: CommitAction['purpose'];
  readonly parent: string;
  /** Trees of the parent commit along every changed path. */
  readonly trees: Trees;
  readonly files: readonly { readonly path: string; readonly text: string; readonly patches: readonly DocumentPatch[] }[];
  readonly message: string;
  readonly author: Person;
  readonly reverts?: string;
  readonly render?: RenderSpec;
}

/**
 * Applies the patches and computes every object of the commit, so the plan names the
 * commit id apply will create; apply calls it again on the real parent and writes the
 * same objects. Returns the trees and the files' texts after the commit, for the next one. Pure.
 */
export function buildCommit(request: CommitRequest): { action: CommitAction; trees: Trees; objects: GitObject[]; texts: Record<string, string> } {
  let trees = request.trees;
  let root = '';
  const objects: GitObject[] = [];
  const texts: Record<string, string> = {};
  const changes: FileChange[] = request.files.map((file) => {
    const after = patchConfigText(file.path, file.text, file.patches);
    texts[file.path] = after;
    const written = writeFile(trees, file.path, after);
    trees = written.trees;
    root = written.root;
    objects.push(...written.objects);
    const blobs = { before: blobId(file.text), after: blobId(after) };
    return { path: file.path, before: blobs.before, after: blobs.after, patches: file.patches, diff: unifiedDiff(file.path, file.text, after, blobs) };
  });
  const commit = commitObject({ tree: root, parents: [request.parent], author: request.author, committer: request.author, message: request.message });
  objects.push(commit);
  // Later writes of the same tree replace earlier ones; keep each object once, in write order.
  const unique = [...new Map(objects.map((o) => [o.id, o])).values()];
  return {
    trees,
    texts,
    objects: unique,
    action: {
      id: request.id,
      kind: 'commit',
      repo: request.repo,
      branch: request.branch,
      purpose: request.purpose,
      parent: request.parent,
      commit: commit.id,
      tree: root,
      message: request.message,
      author: request.author,
      committer: request.author,
      changes,
      ...(request.reverts ? { reverts: request.reverts } : {}),
      ...(request.render ? { render: request.render } : {}),
    },
  };
}
